"""A QR code drawn in the terminal: two modules per character cell with half blocks.

A terminal cell is about twice as tall as it is wide, so one cell holds two modules stacked
(upper and lower half) and each module comes out square. Dark modules are drawn in black on a
white background, with the 4-module quiet zone the standard asks for, so a phone camera reads
it on a dark or a light terminal theme alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import segno

from seam_tui.tui.literal import Cell, lines, styled

QUIET_ZONE = 4
# Black on white in true colour: not the theme's "black", which may be a grey.
QR_STYLE = "#000000 on #ffffff"
# (upper module dark, lower module dark) -> the character that shows them.
HALF_BLOCKS: dict[tuple[bool, bool], str] = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def qr_matrix(content: str) -> list[list[bool]]:
    """The QR code of `content` as rows of modules (True: dark), quiet zone included.

    Error correction L, raised where the same size allows: a 30-character link fits version 2
    (25 modules, 33 with the quiet zone, 17 terminal rows).
    """
    code = segno.make(content, error="l", micro=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(border=QUIET_ZONE)]


def half_block_rows(matrix: Sequence[Sequence[bool]]) -> list[str]:
    """Each pair of module rows as one line of half blocks (a last odd row gets a light one)."""
    rows: list[str] = []
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        lower = matrix[top + 1] if top + 1 < len(matrix) else [False] * len(upper)
        rows.append("".join(HALF_BLOCKS[pair] for pair in zip(upper, lower, strict=True)))
    return rows


def qr_rows(content: str) -> list[str]:
    """The lines of half blocks that draw the QR code of `content`."""
    return half_block_rows(qr_matrix(content))


def qr_text(content: str) -> Cell:
    """The QR code of `content`, ready for a `Line`: black modules on a white ground."""
    return lines(styled(row, QR_STYLE) for row in qr_rows(content))
