"""The key line at the bottom of every staff screen: Textual's Footer, without its leak.

    yield KeyFooter(compact=True)        # where a screen would yield textual.widgets.Footer

Textual 8.2.8's Footer rebuilds all its keys whenever its screen's bindings are refreshed: after
every focus move, and after every ``refresh_bindings()``. Each new FooterKey is bound to the
footer's ``compact`` (``data_bind``), which leaves an entry pointing at the key in the footer's
watcher list; Textual drops such entries only when ``compact`` changes, which in the hall it never
does. So each rebuild kept the old keys, their styles and their renders alive: about 210 KB per
window reload, 122 MB to 184 MB over 200 Tab presses at the desk (Textual issue 6666).

:class:`KeyFooter` fixes both ends:

- it rebuilds only when what it shows changed (the key, its label, whether it is enabled, its
  tooltip), so an idle window reloading its queue or a desk moving between fields rebuilds nothing;
- when it does rebuild, it drops the watcher entries of the keys it removed, so they are freed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

__all__ = ["KeyFooter", "drop_closed_watchers"]


def drop_closed_watchers(node: object) -> int:
    """Forget the watchers on ``node`` that belong to widgets already removed; how many went.

    Textual keeps ``(watcher, callback)`` pairs in the watched object's ``__watchers`` and prunes
    the closed ones only when that attribute changes again: this prunes them now.
    """
    watchers: dict[str, list[tuple[Any, Any]]] = getattr(node, "__watchers", {})
    dropped = 0
    for entries in watchers.values():
        alive = [(w, cb) for w, cb in entries
                 if not (getattr(w, "_closing", False) or getattr(w, "_closed", False))]
        dropped += len(entries) - len(alive)
        entries[:] = alive
    return dropped


class KeyFooter(Footer):
    """A Footer that rebuilds only when its keys changed, and frees the keys it replaced."""

    _shown: tuple[object, ...] | None = None
    """What the last build showed (see :meth:`_keys`); None before the first."""

    def _keys(self, screen: Screen[Any]) -> tuple[object, ...]:
        """What a build would show now: the shown bindings as the footer draws them."""
        get_display = self.app.get_key_display
        shown = tuple((b.key, get_display(b), b.description, b.action, enabled, tooltip,
                       b.group.description if b.group else None)
                      for _, b, enabled, tooltip in screen.active_bindings.values() if b.show)
        return shown, self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE

    def compose(self) -> Any:
        if self._bindings_ready:
            self._shown = self._keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (self._shown is not None and self.is_attached and screen is self.screen
                and self._keys(screen) == self._shown):
            return  # the same keys as shown: nothing to rebuild
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        drop_closed_watchers(self)
