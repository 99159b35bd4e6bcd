"""A font that can draw Chinese, for the PNG slip and the PDF documents.

``find_cjk_font()`` checks every candidate for real Chinese glyphs and caches its answer for the
process (``find_cjk_font.cache_clear()`` to look again): fontconfig's answer and common system
paths first, then the font the project installs itself (:func:`packaged_cjk_font`, WenQuanYi
Micro Hei from the ``paperang-p2-fonts-cjk`` wheel, a dependency in pyproject.toml), so a machine
without any system CJK font still prints Chinese. ``resolve_fonts(path)`` picks the font of one
slip: ``path`` when it has Chinese, else the one found, else Pillow's built-in (no Chinese: only
when the packaged font is missing or damaged).

The PDF documents (:mod:`hall.printing.pdf`) always embed the packaged font: a TrueType font
that every PDF reader and text extractor handles, the same on every machine.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

__all__ = ["Fonts", "find_cjk_font", "packaged_cjk_font", "resolve_fonts"]

log = logging.getLogger(__name__)

# Fonts tried after fontconfig, most common Linux packages first, then macOS and Windows.
_COMMON_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
_WINDOWS_CJK_FONTS = ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc")

_PACKAGED = ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc")
"""The font pip installs with the project (package, file): WenQuanYi Micro Hei, TrueType
outlines, Apache License 2.0 (its name table says so; the wheel's own MIT file covers its code)."""


def packaged_cjk_font() -> str | None:
    """Path of the CJK font installed with the project (a pip dependency), or None when that
    package is missing (an install that skipped dependencies)."""
    import importlib.resources

    package, name = _PACKAGED
    try:
        path = importlib.resources.files(package).joinpath(name)
    except ModuleNotFoundError:
        return None
    return str(path) if path.is_file() else None


def _fc_files(args: list[str]) -> Iterator[str]:
    """Font files printed by a fontconfig command, one per line; nothing on failure."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return
    if done.returncode == 0:
        yield from (line.strip() for line in done.stdout.splitlines() if line.strip())


def _font_candidates() -> Iterator[str]:
    """Font files worth checking for Chinese glyphs, best guesses first."""
    if shutil.which("fc-match"):
        yield from _fc_files(["fc-match", "-f", "%{file}", ":lang=zh"])
    if shutil.which("fc-list"):
        # fc-match always answers with *some* font, even one without Chinese; fc-list filters.
        yield from sorted(_fc_files(["fc-list", "-f", "%{file}\n", ":lang=zh"]))
    yield from _COMMON_CJK_FONTS
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        yield from (os.path.join(windir, "Fonts", name) for name in _WINDOWS_CJK_FONTS)


def _system_then_packaged() -> Iterator[str]:
    """The system's fonts first (the hall's own choice of face), then the packaged one."""
    yield from _font_candidates()
    packaged = packaged_cjk_font()
    if packaged:
        yield packaged


@functools.lru_cache(maxsize=32)
def _font_index(path: str) -> int:
    """Face index to use in a font collection: the Simplified Chinese face if there is one."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    for index in range(64):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if "SC" in family.split():
            return index
    return 0


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    """The rendered pixels of one character, to compare glyphs with each other."""
    image = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


@functools.lru_cache(maxsize=32)
def _covers_cjk(path: str) -> bool:
    """Whether the font file at ``path`` has real glyphs for Chinese text."""
    try:
        font = ImageFont.truetype(path, 32, index=_font_index(path))
    except (OSError, ValueError):
        return False
    zhong, fang, missing = (_glyph(font, c) for c in ("中", "访", "\U0010fffd"))
    # A font without them draws the same .notdef box (or nothing) for all three.
    return any(zhong) and len({zhong, fang, missing}) == 3


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """Path of a font file (TTF/OTF/TTC) on this machine that can draw Chinese, or None.

    Asks fontconfig (``fc-match``, then ``fc-list``) when installed, then tries common
    install paths, then the font installed with the project (:func:`packaged_cjk_font`);
    every candidate is checked for real Chinese glyphs. The answer is cached for the process
    (``find_cjk_font.cache_clear()`` to look again).
    """
    seen: set[str] = set()
    for path in _system_then_packaged():
        if path in seen or not os.path.isfile(path):
            continue
        seen.add(path)
        if _covers_cjk(path):
            return path
    return None


@functools.lru_cache(maxsize=64)
def _load_font(path: str | None, index: int, size: int) -> ImageFont.FreeTypeFont:
    """A font at a pixel size: the file at ``path``, or Pillow's built-in scalable font."""
    font = ImageFont.truetype(path, size, index=index) if path else ImageFont.load_default(size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow 缺少 FreeType 支持，无法绘制票据文字")
    return font


@dataclass(frozen=True)
class Fonts:
    """The font used for one slip; ``path`` None means Pillow's font and no Chinese."""

    path: str | None = None
    index: int = 0

    @property
    def cjk(self) -> bool:
        return self.path is not None

    def __call__(self, size: int) -> ImageFont.FreeTypeFont:
        return _load_font(self.path, self.index, max(6, int(size)))


def resolve_fonts(font_path: str | os.PathLike[str] | None) -> Fonts:
    """Pick the CJK font for a PNG: ``font_path`` if it has Chinese, else a system font."""
    if font_path is not None:
        path = os.fspath(font_path)
        if os.path.isfile(path) and _covers_cjk(path):
            return Fonts(path, _font_index(path))
        log.warning("字体 %s 不存在或不含中文字形，改用系统或随附的中文字体", path)
    found = find_cjk_font()
    return Fonts(found, _font_index(found)) if found else Fonts()
