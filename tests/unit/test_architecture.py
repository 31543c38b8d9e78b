"""The dependency rule of ARCHITECTURE.md holds: the import-linter contracts in pyproject.toml are kept,
and they catch what they are there to catch (an import from the core into the gateway, a cycle, the
domain importing anything above it, a simulated hospital importing the core, the core importing protobuf code)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint() -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def planted() -> Iterator[list[Path]]:
    """Modules a test plants in the tree for one lint run; removed whatever happens."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.unlink(missing_ok=True)


def plant(paths: list[Path], package_dir: str, source: str) -> str:
    """Write a module into `package_dir` (a folder of the tree); its module name."""
    name = f"_planted_{uuid.uuid4().hex[:8]}"
    path = ROOT / package_dir / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    paths.append(path)
    return name


def test_the_contracts_are_kept() -> None:
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_an_import_from_the_core_into_the_gateway_breaks_the_layers(planted: list[Path]) -> None:
    name = plant(planted, "gateway/yibao/gateway", "from yibao.simulators.core import settlement\n")
    result = lint()
    assert result.returncode == 1
    assert f"yibao.gateway.{name} -> yibao.simulators.core.settlement" in result.stdout


def test_the_domain_may_not_import_storage(planted: list[Path]) -> None:
    name = plant(planted, "src/yibao/domain", "from yibao.storage import store\n")
    result = lint()
    assert result.returncode == 1
    assert f"yibao.domain.{name} -> yibao.storage.store" in result.stdout


def test_a_simulated_hospital_may_not_import_the_core(planted: list[Path]) -> None:
    name = plant(planted, "simulators/yibao/simulators/his", "import yibao.simulators.core.queries\n")
    result = lint()
    assert result.returncode == 1
    assert "yibao.simulators.his is not allowed to import yibao.simulators.core" in result.stdout
    assert f"yibao.simulators.his.{name} -> yibao.simulators.core.queries" in result.stdout


def test_the_core_may_not_import_the_generated_protobuf_code(planted: list[Path]) -> None:
    name = plant(planted, "simulators/yibao/simulators/core", "from yibao.v1 import outpatient_pb2\n")
    result = lint()
    assert result.returncode == 1
    assert "yibao.simulators.core is not allowed to import yibao.v1" in result.stdout
    assert f"yibao.simulators.core.{name} -> yibao.v1.outpatient_pb2" in result.stdout


def test_a_cycle_between_two_modules_of_one_package_breaks_the_acyclic_contract(planted: list[Path]) -> None:
    first, second = f"_planted_{uuid.uuid4().hex[:8]}", f"_planted_{uuid.uuid4().hex[:8]}"
    core = ROOT / "simulators/yibao/simulators/core"
    for name, other in ((first, second), (second, first)):
        path = core / f"{name}.py"
        path.write_text(f"from yibao.simulators.core import {other}\n", encoding="utf-8")
        planted.append(path)
    result = lint()
    assert result.returncode == 1
    assert "No cycles are allowed in yibao.simulators.core" in result.stdout
