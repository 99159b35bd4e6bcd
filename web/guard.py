"""What guards the public page: the rate limit per client and the headers on every answer.

    limiter = RateLimiter(limit=60, period=60.0)
    wait = limiter.take("203.0.113.7")        # 0.0: go ahead; else seconds until the next one
    address = client_address(request.remote, request.headers, trusted)

:class:`RateLimiter` is a token bucket per client address: ``limit`` requests at once, then one
more every ``period / limit`` seconds. Buckets that are full again are forgotten when there are
many, so a flood of addresses costs bounded memory. The clock is injectable for tests.

:func:`security_headers` are the headers a public government page sets: a Content-Security-Policy
that allows nothing but the page's own inline style (by hash) and forbids framing, no caching of
a status (it changes, and it is one visitor's), no MIME sniffing, no referrer, no framing for old
browsers, and no server version.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable, Iterable, Mapping

from web.page import STYLE_HASH

CSP = ("default-src 'none'; "
       f"style-src '{STYLE_HASH}'; "
       "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
"""No script, no font, no image, no frame: only the page's own style sheet."""

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Server": "hall",
}
"""Set on every answer of the page, errors included."""


def security_headers() -> dict[str, str]:
    """A copy of :data:`SECURITY_HEADERS`."""
    return dict(SECURITY_HEADERS)


class RateLimiter:
    """A token bucket per key: ``limit`` at once, refilled at ``limit / period`` per second."""

    def __init__(self, limit: int, period: float, *, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.limit = limit
        self.rate = limit / period
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    def take(self, key: str) -> float:
        """Take one request for ``key``: 0.0 when allowed, else the seconds until one is."""
        now = self.clock()
        tokens, at = self._buckets.get(key, (float(self.limit), now))
        tokens = min(float(self.limit), tokens + (now - at) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self.max_keys:
                self._forget(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _forget(self, now: float) -> None:
        """Drop the buckets that have refilled (as good as new); if none has, the oldest half."""
        full = [k for k, (tokens, at) in self._buckets.items()
                if tokens + (now - at) * self.rate >= self.limit]
        if not full:
            by_age = sorted(self._buckets, key=lambda k: self._buckets[k][1])
            full = by_age[:len(by_age) // 2]
        for key in full:
            del self._buckets[key]


def retry_after(seconds: float) -> str:
    """The Retry-After value for a wait: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


def client_address(remote: str | None, headers: Mapping[str, str],
                   trusted: Iterable[str]) -> str:
    """The address a request is counted against: its peer's, or when the peer is a trusted proxy
    the last address of ``X-Forwarded-For`` that is not itself one (a client may put anything
    first in the header; only what the proxies appended is believed)."""
    peer = remote or ""
    trusted_set = {_canonical(t) for t in trusted}
    if _canonical(peer) not in trusted_set:
        return peer
    forwarded = headers.get("X-Forwarded-For", "")
    for part in reversed([p.strip() for p in forwarded.split(",")]):
        canonical = _canonical(part)
        if not canonical:
            break  # a malformed entry: trust nothing before it
        if canonical not in trusted_set:
            return canonical
    return peer


def _canonical(address: str) -> str:
    """``address`` as one spelling (``::ffff:127.0.0.1`` → ``127.0.0.1``), "" when not one."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)
