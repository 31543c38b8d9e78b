"""Regenerate protos/yibao/v1/*_pb2*.py beside the .proto files they come from (the single source of truth).

Run: python scripts/gen_protos.py [--check]
--check regenerates into a temporary folder and fails if the checked-in code differs.
"""

from __future__ import annotations

import filecmp
import sys
import tempfile
from pathlib import Path

import grpc_tools
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
OUT_PKG = Path("yibao") / "v1"


def generate(out_root: Path) -> list[Path]:
    files = sorted(str(p.relative_to(PROTOS)) for p in (PROTOS / OUT_PKG).glob("*.proto"))
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTOS}",
        f"-I{well_known}",
        f"--python_out={out_root}",
        f"--pyi_out={out_root}",
        f"--grpc_python_out={out_root}",
        *files,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    return sorted((out_root / OUT_PKG).glob("*_pb2*.py*"))


def main() -> int:
    check = "--check" in sys.argv[1:]
    if not check:
        generate(PROTOS)
        print(f"generated into {PROTOS / OUT_PKG}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        names = {p.name for p in fresh}
        current = {p.name for p in (PROTOS / OUT_PKG).glob("*_pb2*.py*")}
        stale = sorted(names ^ current)
        stale += [
            p.name for p in fresh if p.name in current and not filecmp.cmp(p, PROTOS / OUT_PKG / p.name, shallow=False)
        ]
    if stale:
        print("generated code is stale; run python scripts/gen_protos.py:", ", ".join(stale))
        return 1
    print("generated code matches protos/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
