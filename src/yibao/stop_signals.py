"""SIGINT and SIGTERM as a byte on a pipe, for processes that wait for them while other threads run.

Why not `signal.signal(sig, lambda *_: event.set())`: Python runs a handler in the main thread between two
bytecodes, so a second signal that arrives while the first handler holds the Event's lock (other threads
may hold the GIL meanwhile) runs a second handler on top of the first, which then waits for that lock
forever. `pkill -f yibao` sends exactly that pair to a gateway worker: one signal from pkill, one from the
supervisor stopping its workers (gateway/yibao/gateway/prefork.py). Seen: a worker left serving its port, refusing every
call, after the settlement core process had gone. Here the interpreter's own C handler writes the signal
number to a pipe (`signal.set_wakeup_fd`), and the Python handler does nothing: no lock anywhere.
"""

from __future__ import annotations

import os
import signal
import threading

STOP = (signal.SIGINT, signal.SIGTERM)


def _ignore(signum: int, frame: object) -> None:
    """A Python handler must be set for the C handler to write the wakeup byte; the byte is the news."""


class StopSignals:
    """Call from the main thread, once per process."""

    def __init__(self) -> None:
        self._read, write = os.pipe()
        os.set_blocking(write, False)
        signal.set_wakeup_fd(write, warn_on_full_buffer=False)
        for sig in STOP:
            signal.signal(sig, _ignore)

    def wait(self) -> None:
        """Block until SIGINT or SIGTERM has arrived."""
        while os.read(self._read, 1)[0] not in STOP:  # a byte of another signal some library handles
            pass

    def then_set(self, event: threading.Event) -> None:
        """Set `event` once SIGINT or SIGTERM has arrived, from a thread of its own."""

        def wait_then_set() -> None:
            self.wait()
            event.set()

        threading.Thread(target=wait_then_set, name="yibao-stop-signals", daemon=True).start()
