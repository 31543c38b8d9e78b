"""The typed core: `mypy` from the repository root (strict, on what [tool.mypy] `files` lists) passes; the domain
and storage say what their functions take and return (no `Any` in a signature); and the kernel's modules are
typed for real (no `# type: ignore` outside the generated code of protos/yibao/v1)."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What issue 16 holds to mypy --strict; [tool.mypy] may list more (the gateway, later), never less.
TYPED = (
    "src/yibao/domain",
    "src/yibao/storage",
    "src/yibao/world",
    "src/yibao/errors.py",
    "src/yibao/call.py",
    "src/yibao/ids.py",
    "src/yibao/inputs.py",
    "src/yibao/timetext.py",
    "src/yibao/stop_signals.py",
    "protos/yibao/transactions.py",
    "simulators/yibao/simulators/core",
)
NO_ANY = ("src/yibao/domain", "src/yibao/storage", "simulators/yibao/simulators/core")
GENERATED = ROOT / "protos" / "yibao" / "v1"


def sources(*paths: str) -> list[Path]:
    found: list[Path] = []
    for p in paths:
        path = ROOT / p
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f for f in found if GENERATED not in f.parents]


def test_mypy_config_covers_the_typed_core() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert set(TYPED) <= set(config["files"])


def test_mypy_passes() -> None:
    """The same command as `mypy` at the root (its cache, .mypy_cache, keeps a rerun to a second or so)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def _mentions_any(node: ast.expr | None, aliases: set[str]) -> bool:
    """Whether an annotation names typing.Any, or an alias of this module that does (also inside a string)."""
    if node is None:
        return False
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and (sub.id == "Any" or sub.id in aliases):
            return True
        if isinstance(sub, ast.Attribute) and sub.attr == "Any":
            return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            try:
                parsed = ast.parse(sub.value, mode="eval").body
            except SyntaxError:
                continue
            if _mentions_any(parsed, aliases):
                return True
    return False


def _aliases_of_any(tree: ast.Module) -> set[str]:
    """Module-level names assigned a type that mentions Any (`Row: TypeAlias = dict[str, Any]`), transitively."""
    aliases: set[str] = set()
    changed = True
    while changed:
        changed = False
        for stmt in tree.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name, value = stmt.target.id, stmt.value
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                name, value = stmt.targets[0].id, stmt.value
            else:
                continue
            if name not in aliases and _mentions_any(value, aliases):
                aliases.add(name)
                changed = True
    return aliases


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def any_in_signatures(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    aliases = _aliases_of_any(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        a = node.args
        params = [*a.posonlyargs, *a.args, *a.kwonlyargs, *[p for p in (a.vararg, a.kwarg) if p is not None]]
        for p in params:
            if _mentions_any(p.annotation, aliases):
                found.append(f"{_where(path)}:{p.lineno} {node.name}({p.arg})")
        if _mentions_any(node.returns, aliases):
            found.append(f"{_where(path)}:{node.lineno} {node.name} -> …")
    return found


def type_ignores(path: Path) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline)
    return [
        f"{_where(path)}:{tok.start[0]}"
        for tok in tokens
        if tok.type == tokenize.COMMENT and "type:" in tok.string and "ignore" in tok.string.split("type:", 1)[1]
    ]


def test_no_any_in_the_signatures_of_domain_and_storage() -> None:
    files = sources(*NO_ANY)
    assert len(files) > 20  # the folders were found
    found = [hit for f in files for hit in any_in_signatures(f)]
    assert found == [], "Any in a signature:\n" + "\n".join(found)


def test_no_type_ignore_in_the_typed_core() -> None:
    found = [hit for f in sources(*TYPED) for hit in type_ignores(f)]
    assert found == [], "# type: ignore in the typed core:\n" + "\n".join(found)


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    """Each check finds what it is there to find (a test that could not fail would prove nothing)."""
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from typing import Any, TypeAlias\n"
        "Loose: TypeAlias = dict[str, Any]\n"
        "def a(x: Any) -> None: ...\n"
        "def b(*, y: 'list[Any]') -> None: ...\n"
        "def c(z: Loose) -> int: ...\n"
        "def d() -> 'Loose': ...\n"
        "def e(w: int) -> int:\n"
        "    return w  # type: ignore[return-value]\n"
        "s = '# type: ignore in a string is no comment'\n",
        encoding="utf-8",
    )
    assert [hit.split(" ", 1)[1] for hit in any_in_signatures(planted)] == ["a(x)", "b(y)", "c(z)", "d -> …"]
    assert type_ignores(planted) == ["planted.py:8"]
