"""Terminal-cell arithmetic (screens/widgets/cells.py): Chinese characters take two cells, so
text is cut and columns are sized by cells, never by characters."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from screens.widgets.cells import cut, fit, share_widths


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("携带危险物品或管制器具", 22, "携带危险物品或管制器具"),  # fits exactly: untouched
    ("携带危险物品或管制器具", 21, "携带危险物品或管制器…"),
    ("携带危险物品或管制器具", 20, "携带危险物品或管制…"),  # 18 + 1: a wide char never halves
    ("7号窗口", 6, "7号窗…"),
    ("7号窗口", 5, "7号…"),
    ("通知安保人员", 1, "…"),
    ("", 4, ""),
])
def test_cut_counts_cells_and_never_splits_a_wide_character(text: str, width: int,
                                                            expected: str) -> None:
    assert cut(text, width) == expected
    assert cell_len(cut(text, width)) <= width


def test_fit_pads_to_exactly_the_width() -> None:
    assert fit("劝阻", 6) == "劝阻  "
    assert cell_len(fit("携带危险物品", 7)) == 7


def test_share_widths_keeps_natural_widths_when_they_fit() -> None:
    assert share_widths([2, 5, 22, 8, 12], [2, 5, 8, 6, 6], 60) == [2, 5, 22, 8, 12]
    assert share_widths([2, 5, 22, 8, 12], [2, 5, 8, 6, 6], 49) == [2, 5, 22, 8, 12]


def test_share_widths_cuts_the_widest_first_and_keeps_the_fixed() -> None:
    # 40-cell type, 10-cell place, 12-cell next step in 48 cells: the type gives up 14.
    assert share_widths([40, 10, 12], [8, 6, 6], 48) == [26, 10, 12]
    # Tighter: the type comes down to the next step's width, then both shrink in turn.
    widths = share_widths([40, 10, 12], [8, 6, 6], 30)
    assert sum(widths) == 30 and widths == [10, 10, 10]
    # Fixed columns (minimum = natural) never shrink; the rest stop at their minimum.
    assert share_widths([5, 40, 12], [5, 8, 6], 10) == [5, 8, 6]
