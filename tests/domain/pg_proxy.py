"""A TCP forwarder in front of PostgreSQL that a test can freeze, cut and restart.

    with PgProxy("127.0.0.1", 5432) as proxy:
        url = proxy.url("postgresql://postgres@127.0.0.1:5432/test?options=...")
        proxy.freeze()      # connections stay open, nothing more is forwarded (a frozen server)
        proxy.thaw()
        proxy.cut()         # every forwarded connection is closed (the server went away)
        proxy.stop(); proxy.start()   # refuse connections for a while, then listen again

``connects`` counts the connections the proxy has opened to the server.
"""

from __future__ import annotations

import socket
import threading
from typing import Any
from urllib.parse import urlparse, urlunparse


class PgProxy:
    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.port = 0
        self.connects = 0
        self._frozen = threading.Event()
        self._thawed = threading.Event()
        self._thawed.set()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def __enter__(self) -> PgProxy:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.thaw()
        self.stop()

    def url(self, base: str) -> str:
        """``base`` with its host and port replaced by the proxy's."""
        parsed = urlparse(base)
        user = f"{parsed.username}@" if parsed.username else ""
        return urlunparse(parsed._replace(netloc=f"{user}127.0.0.1:{self.port}"))

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Stop listening and cut every connection."""
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        self.cut()

    def freeze(self) -> None:
        self._thawed.clear()

    def thaw(self) -> None:
        self._thawed.set()

    def cut(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connects += 1
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            self._thawed.wait()
            try:
                if not data:
                    target.shutdown(socket.SHUT_WR)
                    return
                target.sendall(data)
            except OSError:
                return
