"""Whole Chinese characters where an overlay crosses a widget edge (Textual issue 6357).

    from screens.compositor import keep_wide_characters
    keep_wide_characters()          # HallApp does this when it is built; calling again is harmless

Textual's compositor paints each screen line in pieces ("chops") between the edges of every
widget on that line, including the edges of widgets *under* an overlay. It divides the overlay's
line at those edges too, and a double-width character that straddles one is split into two blank
halves (``Segment.divide``): a toast over the window screen's two panels read "能过号" for
"尚不能过号" at 80 columns, the opposite meaning. Upstream Textual (8.2.8) still does this.

The patch here changes only that case. When a widget's line straddles an inner edge with a wide
character and this widget is the one painted on *both* sides of the edge (nothing in front of it
there), the two chops become one: the character stays whole in the left chop and the right chop
gets an empty placeholder so the widgets behind cannot claim it. Everything else is divided as
upstream divides it. A partial update that starts or ends inside such a merged chop is widened to
the whole chop, so the terminal never receives half a character either.

tests/screens/test_cells.py holds upstream's bug (a strict expected failure, run with this patch
removed: it starts passing when Textual fixes the compositor, and then this module can go) and the
same scene with the patch; tests/screens/test_toasts.py reads the window screen's refusal toast
from the rendered lines at every width from 80 to 200.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    Chops = list[dict[int, Strip | None]]
    Runs = dict[int, list[tuple[int, int]]]

_EMPTY = Strip([], 0)
_UPSTREAM = {name: getattr(Compositor, name) for name in ("_render_chops", "render_partial_update")}


def keep_wide_characters() -> None:
    """Patch Textual's compositor (process-wide, idempotent) so overlays keep wide characters."""
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
    Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]


@contextmanager
def upstream_compositor() -> Iterator[None]:
    """Textual's own compositor for the duration (the test of the upstream bug uses it)."""
    saved = {name: getattr(Compositor, name) for name in _UPSTREAM}
    for name, method in _UPSTREAM.items():
        setattr(Compositor, name, method)
    try:
        yield
    finally:
        for name, method in saved.items():
            setattr(Compositor, name, method)


def is_applied() -> bool:
    """True while the patch is in place."""
    return Compositor._render_chops is _render_chops  # type: ignore[comparison-overlap]


def _inside_wide(strip: Strip, offsets: set[int]) -> set[int]:
    """Which of ``offsets`` (cells from the strip's start) fall inside a double-width character."""
    found: set[int] = set()
    if not offsets:
        return found
    position = 0
    for text, _style, control in strip:
        if control:
            continue
        width = cell_len(text)
        if width != len(text):  # only text with wide characters is walked character by character
            for character in text:
                size = get_character_cell_size(character)
                if size == 2 and position + 1 in offsets:
                    found.add(position + 1)
                position += size
        else:
            position += width
    return found


def _chops_and_runs(compositor: Compositor, crop: Region,
                    is_rendered_line: Callable[[int], bool]) -> tuple[Chops, Runs]:
    """Upstream's ``_render_chops``, keeping a wide character whole where one widget paints
    both sides of an edge; also returns those merged chops as ``{y: [(start, end), ...]}``."""
    cuts = compositor.cuts
    chops: Chops = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    runs: Runs = {}
    for region, clip, strips in compositor._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            # An edge may be dropped where both chops beside it are still unpainted: this widget
            # is in front on both sides (painting goes front to back). Rare (an overlay over
            # other widgets' edges), so the strip is walked for wide characters only then.
            free = [cut for before, cut in pairwise(final_cuts[:-1])
                    if line.get(before, _EMPTY) is None and line.get(cut, _EMPTY) is None
                    ] if len(final_cuts) > 2 else []
            dropped = {render_x + offset for offset in
                       _inside_wide(strip, {cut - render_x for cut in free})} if free else ()
            if not dropped:  # upstream's division
                for cut, piece in zip(final_cuts, strip.divide(
                        [cut - render_x for cut in final_cuts[1:]]), strict=False):
                    if line.get(cut) is None:
                        line[cut] = piece
                continue
            kept = [cut for cut in final_cuts if cut not in dropped]
            pieces = strip.divide([cut - render_x for cut in kept[1:]])
            for start, end, piece in zip(kept, kept[1:], pieces, strict=False):
                if line.get(start) is None:
                    line[start] = piece
                inner = [cut for cut in dropped if start < cut < end]
                if inner:
                    for cut in inner:
                        line[cut] = _EMPTY
                    runs.setdefault(y, []).append((start, end))
    return chops, runs


def _render_chops(self: Compositor, crop: Region,
                  is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
    chops, _runs = _chops_and_runs(self, crop, is_rendered_line)
    return chops  # type: ignore[return-value]


def _widen(spans: list[tuple[int, int, int]], runs: Runs) -> list[tuple[int, int, int]]:
    """Spans that start or end inside a merged chop cover all of it (never half a character)."""
    widened = []
    for y, x1, x2 in spans:
        for start, end in runs.get(y, ()):
            if start < x1 < end:
                x1 = start
            if start < x2 < end:
                x2 = end
        widened.append((y, x1, x2))
    return widened


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Upstream's ``render_partial_update`` over the patched chops, with spans widened."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops, runs = _chops_and_runs(self, crop, is_rendered_line)
    chop_ends = [cut_set[1:] for cut_set in self.cuts]
    return ChopsUpdate(chops, _widen(spans, runs) if runs else spans, chop_ends)
