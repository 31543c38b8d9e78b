"""Every file the project's code and documents name by path exists, so a reader following a
reference lands on the file (the layout moved once; nothing may point at where a file used to be)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# a relative path with at least one folder, ending in a file type the project keeps
REFERENCE = re.compile(r"(?<![\w./:-])((?:[a-z_0-9]+/)+[a-z_0-9]+\.(?:py|md|json|proto|toml))\b")
GENERATED = "protos/yibao/v1/"
# a reference into the repository starts with one of its top-level folders (grpc/_server.py does not)
TOP = {"protos", "gateway", "adapters", "simulators", "src", "loadtests", "tests", "docs", "scripts"}


def tracked_texts() -> list[str]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [n for n in names if n.endswith((".py", ".md", ".toml", ".proto")) and not n.startswith(GENERATED)]


def dangling(text: str) -> list[str]:
    if text.startswith('import "'):  # a .proto import: relative to protos/, as protoc reads it
        return []
    refs = [m.group(1) for m in REFERENCE.finditer(text)]
    return [r for r in refs if r.split("/", 1)[0] in TOP and not (ROOT / r).exists()]


def test_the_pattern_finds_a_dangling_reference() -> None:
    moved = "gateway/" + "dispatch.py"  # spelled apart, so this file holds no dangling reference itself
    assert dangling(f"see {moved} and gateway/yibao/gateway/dispatch.py") == [moved]
    assert dangling('import "yibao/v1/envelope.proto";') == []
    assert dangling("frames of grpc/_server.py") == []


def test_every_referenced_path_exists() -> None:
    missing = [
        f"{name}:{number}: {ref}"
        for name in tracked_texts()
        if (ROOT / name).exists()
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        for ref in dangling(line)
    ]
    assert not missing, "\n".join(missing)
