"""``hall serve`` in a real browser: Debian's headless Chromium, driven by playwright.

Two servers on free ports, one serving the desk and one the board, as a hall would run them. In
the desk's page the operator signs in (desk01), registers a visitor and issues a ticket (F5),
then saves it (F6): the browser downloads the ticket's PNG (textual-serve's download link). The
board's page (a public display: the hall's board asks no sign-in) shows the ticket once a window
calls it (``hall call`` from
the command line, as another terminal would). What each page showed is read from the bytes its
terminal received over its WebSocket (the terminal draws on a canvas, so the DOM holds no text).

Chinese is drawn with real glyphs, not tofu: the page's font for Chinese (served by the hall, as
the browser machine may have none; this machine has no Chinese font of its own) is loaded, and
with the terminal's own font string the characters of the login title draw as glyphs that differ
from one another and from the box drawn for a character no font has; the screenshot of the
signed-in desk has ink where the title is.

Skipped, saying why, when /usr/bin/chromium (Debian's ``chromium`` package) or playwright is
missing. Never ``playwright install``: the browser is the system's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import TEST_PASSWORD
from tests.screens.test_desk import NEW_ID
from tests.web.test_serve import environment, serving
from tests.web.test_status_page_cli import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing: apt-get install chromium (Debian's)"),
]
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is missing: pip install -e '.[test]'")

ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


class Screen:
    """What a page's terminal was sent, as text (escape sequences dropped)."""

    def __init__(self, page: Any) -> None:
        self.raw = b""
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.raw += payload

    @property
    def text(self) -> str:
        return ESCAPES.sub("", self.raw.decode("utf-8", "replace"))


def wait_for_text(page: Any, screen: Screen, text: str, timeout_ms: int = 60_000) -> None:
    """Let the page run until its terminal was sent ``text``."""
    waited = 0
    while text not in screen.text:
        if waited >= timeout_ms:
            page.screenshot(path=os.environ.get("HALL_SHOT", "/dev/null"))
        assert waited < timeout_ms, f"never shown: {text!r}\n{screen.text[-2000:]}"
        page.wait_for_timeout(100)
        waited += 100


def sign_in(page: Any, screen: Screen, login: str) -> None:
    wait_for_text(page, screen, "请登录")
    page.locator(".xterm-helper-textarea").focus()  # the terminal's keyboard input
    page.keyboard.type(login)
    page.keyboard.press("Enter")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")


GLYPHS = """(chars) => {
  const font = "32px 'Roboto Mono', Monaco, 'Courier New', monospace";
  const draw = (ch) => {
    const c = document.createElement("canvas"); c.width = 48; c.height = 48;
    const g = c.getContext("2d"); g.font = font; g.fillStyle = "#000"; g.fillText(ch, 4, 36);
    const d = g.getImageData(0, 0, 48, 48).data;
    let ink = 0, sig = [];
    for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) ink++; sig.push(d[i] > 127 ? 1 : 0); }
    return {ink: ink, sig: sig.join("")};
  };
  const faces = [...document.fonts].filter(f => f.family.includes("Roboto Mono"))
    .map(f => ({range: f.unicodeRange, status: f.status}));
  return {faces: faces, glyphs: chars.map(draw)};
}"""


def test_desk_and_board_in_chromium(tmp_path: Path) -> None:
    downloads: list[Any] = []
    with serving(tmp_path / "desk", "desk") as (desk_url, _), \
            playwright_api.sync_playwright() as pw:
        data = tmp_path / "desk"
        board_env = {"HALL_DB": f"sqlite:///{data / 'hall.db'}"}
        with serving(tmp_path / "board", "board", extra_env=board_env) as (board_url, _):
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 800},
                                          accept_downloads=True)
            context.on("page", lambda p: p.on("download", lambda d: downloads.append(d)))
            desk = context.new_page()
            desk_screen = Screen(desk)
            desk.goto(desk_url + "/")
            sign_in(desk, desk_screen, "desk01")
            wait_for_text(desk, desk_screen, "身份证号")

            # Chinese with real glyphs (see the module).
            probe = desk.evaluate(GLYPHS, ["江", "川", "联", "合", "\U0010fffd"])
            assert any("4E00-9FFF" in face["range"].upper() and face["status"] == "loaded"
                       for face in probe["faces"]), probe["faces"]
            *chinese, tofu = probe["glyphs"]
            assert all(g["ink"] > 40 for g in chinese), [g["ink"] for g in chinese]
            shapes = {g["sig"] for g in chinese}
            assert len(shapes) == len(chinese) and tofu["sig"] not in shapes
            shot = desk.screenshot(path=str(tmp_path / "desk.png"))
            assert len(shot) > 10_000  # a drawn screen, not a blank page

            # The registration form, typed at a person's pace (the ID is looked up first).
            for keys in (NEW_ID, "Enter", "张建国", "Enter", "13812345678",
                         "Enter", "Enter", "Enter", "nmg", "Enter", "工地拖欠工资三个月"):
                if keys == "Enter":
                    desk.keyboard.press("Enter")
                elif keys.isascii():
                    desk.keyboard.type(keys)
                else:
                    desk.keyboard.insert_text(keys)  # as an input method hands it over
                desk.wait_for_timeout(400)
            wait_for_text(desk, desk_screen, "工地拖欠工资三个月")
            desk.keyboard.press("F5")
            wait_for_text(desk, desk_screen, "保存")
            number = re.search(r"\b([A-Z]\d{3})-", desk_screen.text) or \
                re.search(r"([A-Z]\d{3})\.png", desk_screen.text)
            desk.keyboard.press("F6")
            wait_for_text(desk, desk_screen, "已发送到浏览器下载")
            name = re.search(r"已发送到浏览器下载\s*(\S+\.png)", desk_screen.text)
            assert name, desk_screen.text[-2000:]
            waited = 0
            while not downloads:
                assert waited < 30_000, "no download"
                desk.wait_for_timeout(100)
                waited += 100
            saved = tmp_path / "ticket.png"
            downloads[0].save_as(saved)
            assert downloads[0].suggested_filename == name.group(1)
            assert saved.read_bytes().startswith(b"\x89PNG")
            ticket = name.group(1).removesuffix(".png").rsplit("-", 1)[1]
            assert number is None or number.group(1) == ticket

            board = context.new_page()
            board_screen = Screen(board)
            # The page speaks the board's calls (screens/board/voice.py): headless Chromium has
            # no voice to hear, so its speech synthesis is replaced by one that notes the words.
            board.add_init_script(
                "window.__spoken = []; Object.defineProperty(window, 'speechSynthesis', "
                "{value: {speak: function (u) { window.__spoken.push([u.text, u.lang]); }}});")
            board.goto(board_url + "/")
            wait_for_text(board, board_screen, "各部门候谈人数")  # the board: no sign-in
            call = subprocess.run(
                [sys.executable, str(ROOT / "main.py"), "call", "--window", "7", "--json"],
                env=environment(data, board_env["HALL_DB"]) | {
                    "HALL_STAFF": "win07", "HALL_PASSWORD": TEST_PASSWORD},
                cwd=ROOT, capture_output=True, text=True, timeout=60)
            assert call.returncode == 0, call.stderr
            assert ticket in call.stdout
            wait_for_text(board, board_screen, ticket)
            board.wait_for_function("window.__spoken.length > 0", timeout=30_000)
            spoken = board.evaluate("window.__spoken")
            # The words as the board reads a number out (L001 at window 7: …零零一 号 到 七 号窗口).
            assert any("零零一" in words and "七 号窗口" in words and lang == "zh-CN"
                       for words, lang in spoken), spoken
            assert len(board.context.pages) == 2  # spoken, not opened as a tab
            board.screenshot(path=str(tmp_path / "board.png"))
            browser.close()
    assert os.path.exists(tmp_path / "board.png")
