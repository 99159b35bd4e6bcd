"""The public status page behind the ticket's QR code (``hall status-page``).

    status_page:
      host: 127.0.0.1            # behind the hall's web server; 0.0.0.0 to face the network itself
      port: 8080
      path: /cx                  # tickets.qr_template should be https://<site>/cx?code={code}
      refresh_seconds: 15        # the page reloads itself this often
      rate_limit: 60             # requests one client address may make …
      rate_period_seconds: 60    # … in this many seconds (429 past it, with Retry-After)
      trusted_proxies: [127.0.0.1, "::1"]
      workers: 8
      timeout_seconds: 5

A request from one of ``trusted_proxies`` (the hall's web server in front of the page) is counted
against the client its ``X-Forwarded-For`` names (the last address there that is not itself a
trusted proxy); any other request against its own address, whatever it claims.
"""

from __future__ import annotations

import ipaddress

from pydantic import Field, field_validator

from config.types import ConfigModel


class StatusPageSettings(ConfigModel):
    host: str = "127.0.0.1"
    """Address the page listens on (``hall status-page --host`` overrides it); the default takes
    requests from this machine only, i.e. from the hall's web server in front of it."""
    port: int = Field(8080, ge=1, le=65535)
    """TCP port the page listens on (``--port`` overrides it)."""
    path: str = Field("/cx", pattern=r"^/[A-Za-z0-9_\-/]{0,63}$")
    """URL path of the page; the query code comes as ``?code=``, the path
    ``tickets.qr_template`` carries (``https://<site>/cx?code={code}``)."""
    refresh_seconds: int = Field(15, ge=5, le=600)
    """How often the page reloads itself on the visitor's phone."""
    rate_limit: int = Field(60, ge=1, le=100000)
    """Requests one client address may make per ``rate_period_seconds`` (then 429)."""
    rate_period_seconds: int = Field(60, ge=1, le=3600)
    """The period of ``rate_limit``; a client regains one request every period/limit seconds."""
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    """Addresses of the web servers in front of the page whose ``X-Forwarded-For`` is believed."""
    workers: int = Field(8, ge=1, le=64)
    """Threads reading the database (each keeps its connection while it reads)."""
    timeout_seconds: int = Field(5, ge=1, le=60)
    """A read taking longer than this answers 503 (the database is slow or unreachable)."""

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise ValueError(f"应为 IP 地址（如 127.0.0.1），实际为“{address}”") from None
        return value
