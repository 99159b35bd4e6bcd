"""Ticket numbers in big block letters, readable across the counter.

Textual's ``Digits`` draws 0-9 and A-F only, but ticket prefixes use the whole alphabet (R, L,
Z, ...), so this is a 5x5 block font of A-Z and 0-9. ``scale`` 2 doubles the width, which gives
square "pixels" on a terminal whose cells are twice as tall as wide.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

_FONT_ROWS = """
A .###. #...# ##### #...# #...#
B ####. #...# ####. #...# ####.
C .#### #.... #.... #.... .####
D ####. #...# #...# #...# ####.
E ##### #.... ####. #.... #####
F ##### #.... ####. #.... #....
G .#### #.... #..## #...# .####
H #...# #...# ##### #...# #...#
I ##### ..#.. ..#.. ..#.. #####
J ..### ....# ....# #...# .###.
K #...# #..#. ###.. #..#. #...#
L #.... #.... #.... #.... #####
M #...# ##.## #.#.# #...# #...#
N #...# ##..# #.#.# #..## #...#
O .###. #...# #...# #...# .###.
P ####. #...# ####. #.... #....
Q .###. #...# #.#.# #..#. .##.#
R ####. #...# ####. #..#. #...#
S .#### #.... .###. ....# ####.
T ##### ..#.. ..#.. ..#.. ..#..
U #...# #...# #...# #...# .###.
V #...# #...# #...# .#.#. ..#..
W #...# #...# #.#.# ##.## #...#
X #...# .#.#. ..#.. .#.#. #...#
Y #...# .#.#. ..#.. ..#.. ..#..
Z ##### ...#. ..#.. .#... #####
0 .###. #...# #...# #...# .###.
1 ..#.. .##.. ..#.. ..#.. .###.
2 .###. #...# ..##. .#... #####
3 ####. ....# .###. ....# ####.
4 #..#. #..#. ##### ...#. ...#.
5 ##### #.... ####. ....# ####.
6 .###. #.... ####. #...# .###.
7 ##### ....# ...#. ..#.. ..#..
8 .###. #...# .###. #...# .###.
9 .###. #...# .#### ....# .###.
- ..... ..... ####. ..... .....
"""
FONT: dict[str, tuple[str, ...]] = {
    line[0]: tuple(line[2:].split()) for line in _FONT_ROWS.strip().splitlines()
}
HEIGHT = 5


def big_lines(text: str, scale: int = 1) -> list[str]:
    """``text`` drawn in block letters: five lines; unknown characters are left blank."""
    rows = [""] * HEIGHT
    for index, char in enumerate(text.upper()):
        glyph = FONT.get(char, (".....",) * HEIGHT)
        for row in range(HEIGHT):
            if index:
                rows[row] += " " * scale
            rows[row] += "".join(("█" if px == "#" else " ") * scale for px in glyph[row])
    return rows


def big_width(text: str, scale: int = 1) -> int:
    """Cells needed by :func:`big_lines` for ``text``."""
    return (len(text) * 6 - 1) * scale if text else 0


class BigNumber(Widget):
    """A ticket number in block letters."""

    DEFAULT_CSS = """
    BigNumber {
        width: auto;
        height: 5;
        color: $text;
    }
    """

    text: reactive[str] = reactive("", layout=True)
    scale: reactive[int] = reactive(1, layout=True)

    def __init__(self, text: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text

    def get_content_width(self, container, viewport) -> int:  # type: ignore[no-untyped-def]
        return big_width(self.text, self.scale)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return HEIGHT

    def render(self) -> Text:
        return Text("\n".join(big_lines(self.text, self.scale)), no_wrap=True)
