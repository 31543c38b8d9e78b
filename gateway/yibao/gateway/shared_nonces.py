"""The nonce memory the workers of `yibao serve --workers N` share (docs/security.md, "The rules", 3), so a
signed call replayed to another worker within its window is refused as it is by the worker that took it.

The supervisor makes it before forking; every worker, and a worker forked again after a crash, inherits it: a
table in anonymous shared memory (mmap), one 24-byte slot per nonce, found by a 16-byte BLAKE2b digest of signer
and nonce and kept until its window closes. Open addressing with linear probing over at most PROBES slots: a
slot never used ends the search, an expired one is reused. Processes exclude each other with a POSIX record lock
(fcntl), which the kernel releases when its holder dies, even by SIGKILL, so a worker killed inside the table
cannot stop the others; threads of one process, which such a lock does not separate, with a threading lock.

Each worker's own NonceCache (request_auth.py) still bounds every signer's nonces first: a signer's live slots
here are at most N × max_nonces_per_institution, so one signer's flood is refused before it reaches this table.
When the PROBES slots around a digest are all live (the table near full), the nonce is not recorded here and the
call goes on with the worker's own check alone: availability before cross-worker replay protection.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import struct
import tempfile
import threading

SLOT = struct.Struct("<16sd")  # digest of signer and nonce; fresh until, POSIX seconds (0: never used)
PROBES = 32
DEFAULT_SLOTS = 1 << 20  # 24 MiB: 1 000 signed calls a second over a 300 s window fill under a third of it


class SharedNonces:
    def __init__(self, slots: int = DEFAULT_SLOTS) -> None:
        self.slots = slots
        self._table = mmap.mmap(-1, slots * SLOT.size)  # anonymous and MAP_SHARED: forked children see one table
        self._lock_file = tempfile.TemporaryFile()  # noqa: SIM115 -- as long as the serve: only its record lock is used
        self._threads = threading.Lock()

    def claim(self, signer: str, nonce: str, now: float, fresh_until: float) -> bool | None:
        """Record `nonce` of `signer` until `fresh_until`. True: first use; False: already used within its window
        (by any worker); None: no room near its slot, not recorded."""
        digest = hashlib.blake2b(f"{signer}\0{nonce}".encode(), digest_size=16).digest()
        start = int.from_bytes(digest[:8], "little")
        with self._threads:
            fcntl.lockf(self._lock_file, fcntl.LOCK_EX)
            try:
                return self._claim(digest, start, now, fresh_until)
            finally:
                fcntl.lockf(self._lock_file, fcntl.LOCK_UN)

    def _claim(self, digest: bytes, start: int, now: float, fresh_until: float) -> bool | None:
        free = -1
        for i in range(PROBES):
            slot = (start + i) % self.slots
            held, until = SLOT.unpack_from(self._table, slot * SLOT.size)
            if until < now:  # never used (0) or expired: free to take
                free = slot if free < 0 else free
                if until == 0:  # nothing was ever put beyond it on this digest's path
                    break
            elif held == digest:
                return False
        if free < 0:
            return None
        SLOT.pack_into(self._table, free * SLOT.size, digest, fresh_until)
        return True
