"""The QR code on a slip: its modules, and the code drawn in a terminal with half blocks."""

from __future__ import annotations

__all__ = ["QUIET_ZONE", "qr_matrix", "qr_text"]

QUIET_ZONE = 4  # modules of light border around the QR code, as the standard asks



def qr_matrix(payload: str) -> list[list[bool]]:
    """Return the QR modules of ``payload`` (error correction M), True = dark.

    The matrix is square and includes the 4-module light quiet zone on every side.
    """
    import qrcode  # here: a screen that may show a slip starts without it (and its Pillow)
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    qr.add_data(payload)
    qr.make(fit=True)
    return [[bool(cell) for cell in row] for row in qr.get_matrix()]


_HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_text(payload: str) -> str:
    """Draw the QR code of ``payload`` for a terminal, two module rows per text line.

    Terminals are usually light text on a dark background, so the picture is inverted:
    *light* modules (including the quiet zone) are drawn with the block characters
    ``▀ ▄ █`` in the foreground colour and *dark* modules are spaces that show the dark
    background. That keeps a real light quiet zone around the code, which scanners need.
    An odd last row is paired with an extra light row. Lines are joined with ``\\n``;
    there are ``ceil(size / 2)`` of them, each ``size`` characters wide.
    """
    matrix = qr_matrix(payload)
    size = len(matrix)
    rows = [*matrix, [False] * size] if size % 2 else matrix
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        lines.append(
            "".join(_HALF_BLOCKS[(not a, not b)] for a, b in zip(top, bottom, strict=True))
        )
    return "\n".join(lines)
