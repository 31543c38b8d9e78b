"""CPU per short SQLite read transaction against the number of threads running them (docs/performance.md).

`sqlite3` releases the GIL around every statement; with several threads each release is a hand-off. Each loop is
BEGIN, one SELECT of a one-row table, ROLLBACK; the same total number of loops is split over 1, 4 and 16 threads.

    python scripts/sqlite_threads.py [LOOPS]
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path


def loops(db: str, n: int) -> None:
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    for _ in range(n):
        conn.execute("BEGIN")
        conn.execute("SELECT v FROM t WHERE k = 'a'").fetchone()
        conn.execute("ROLLBACK")
    conn.close()


def main(total: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "t.db")
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
        conn.execute("INSERT INTO t VALUES ('a', 1)")
        conn.commit()
        conn.close()
        for threads in (1, 4, 16):
            workers = [threading.Thread(target=loops, args=(db, total // threads)) for _ in range(threads)]
            wall, cpu = time.perf_counter(), time.process_time()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{threads:2d} threads: CPU {cpu / total * 1e6:6.1f} µs a loop, wall {wall / total * 1e6:6.1f} µs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 48_000)
