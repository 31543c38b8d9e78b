"""HTTPS for the national JSON entry: waitress's connections wrapped in TLS inside its own I/O loop.

waitress speaks plaintext only. Each accepted connection is wrapped (non-blocking, so a client that stalls its
handshake holds no thread: the handshake counts against the header timeout like any request still arriving,
adapters/yibao/adapters/http/server.py), and every byte goes through the SSL object in the I/O thread only:
OpenSSL does not allow one connection to read in one thread while another writes, which waitress's worker
threads would otherwise do for large answers. With a client CA the handshake requires a certificate signed by
it; the certificate's institution is bound around each call the connection makes
(gateway/yibao/gateway/peer_identity.py).
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from typing import Any

from waitress.task import WSGITask

from yibao.gateway import peer_identity
from yibao.gateway.peer_identity import Peer

log = logging.getLogger("yibao.http")


class PeerTask(WSGITask):
    """One request, carried out with its connection's client certificate bound."""

    channel: Any

    def execute(self) -> None:
        with peer_identity.bound(self.channel.peer):
            super().execute()

    def get_environment(self) -> Any:
        environ = super().get_environment()
        environ["wsgi.url_scheme"] = "https"
        return environ


def tls_channel(base: type) -> type:
    """`base` (a waitress channel class) over TLS; `server.ssl_context` says how."""

    class TlsChannel(base):  # type: ignore[misc]
        task_class = PeerTask

        def __init__(self, server: Any, sock: Any, addr: Any, adj: Any, map: Any = None) -> None:
            self.handshaken = False
            self.handshake_wants_write = False
            self.peer: Peer | None = None
            self.io_thread = threading.get_ident()  # channels are made by the server's I/O loop
            wrapped = server.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
            super().__init__(server, wrapped, addr, adj, map)

        def writable(self) -> bool:
            if not self.handshaken:
                return self.handshake_wants_write
            return bool(super().writable())

        def handle_write(self) -> None:
            if not self.handshaken:
                self._handshake()
                return
            super().handle_write()

        def handle_read(self) -> None:
            if not self.handshaken:
                self._handshake()
                if not self.handshaken:
                    return
            try:
                data = self._decrypted()
            except OSError as e:  # ssl.SSLError included: a broken record, a reset
                log.info("TLS connection of %s closed: %s", getattr(self, "client", "?"), e)
                self.handle_close()
                return
            if data is None:
                return
            if data:
                self.last_activity = time.time()
                self.received(data)
            else:
                self.connected = False  # the client closed (close_notify)

        def _decrypted(self) -> bytes | None:
            """What the connection has decrypted now (b"" at its end), or None when a record is still arriving."""
            chunks: list[bytes] = []
            try:
                while True:
                    data = self.socket.recv(self.adj.recv_bytes)
                    chunks.append(data)
                    # bytes OpenSSL has decrypted already are invisible to poll(): read them now
                    if not data or not self.socket.pending():
                        break
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                if not chunks:
                    return None
            return b"".join(chunks)

        def _handshake(self) -> None:
            try:
                self.socket.do_handshake()
            except ssl.SSLWantReadError:
                self.handshake_wants_write = False
                return
            except ssl.SSLWantWriteError:
                self.handshake_wants_write = True
                return
            except OSError as e:  # no certificate, another CA's, not TLS at all, a reset
                log.info("TLS handshake with %s failed: %s", getattr(self, "client", "?"), e)
                self.handle_close()
                return
            self.handshaken = True
            der = self.socket.getpeercert(binary_form=True)
            self.peer = peer_identity.peer_of_der(der) if der else None

        def send(self, data: bytes, do_close: bool = True) -> int:
            try:
                return int(self.socket.send(data))
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError):
                return 0
            except OSError:
                if do_close:
                    self.handle_close()
                return 0

        def _flush_some(self, do_close: bool = True) -> bool:
            if threading.get_ident() != self.io_thread:
                return False  # a worker's answer: the I/O thread sends it (module docstring)
            return bool(super()._flush_some(do_close=do_close))

    return TlsChannel
