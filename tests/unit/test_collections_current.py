"""collections/ is what scripts/gen_collections.py writes (the Postman collection and the .http file share steps)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_collections_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_collections.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
