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


# The national reference is cited as the project's own statement of it, docs/reference/ (its § numbers and
# section names); a bare "interface.md" or "policy.md" would point outside the repository.
BARE_REFERENCE = re.compile(r"(?<![\w/.-])(?:interface|policy)\.md")
SECTION_CITE = re.compile(r"docs/reference/interface\.md §(\d+(?:\.\d+)?)")
POLICY_CITE = re.compile(r'docs/reference/policy\.md,? "([^"]+)"')


def reference_sections() -> tuple[set[str], set[str]]:
    interface = (ROOT / "docs/reference/interface.md").read_text(encoding="utf-8")
    numbers = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", interface, re.M))
    policy = (ROOT / "docs/reference/policy.md").read_text(encoding="utf-8")
    names = {re.sub(r" \[.*", "", h).strip() for h in re.findall(r"^## (.+)$", policy, re.M)}
    return numbers, names


def miscited(text: str, numbers: set[str], names: set[str]) -> list[str]:
    bad = [m.group(0) for m in BARE_REFERENCE.finditer(text)]
    bad += [m.group(0) for m in SECTION_CITE.finditer(text) if m.group(1) not in numbers]
    return bad + [m.group(0) for m in POLICY_CITE.finditer(text) if m.group(1) not in names]


def test_the_reference_checks_catch_a_bare_or_missing_citation() -> None:
    numbers, names = reference_sections()
    assert {"1.1", "4.3", "8"} <= numbers and "Refunds" in names
    assert miscited("see interface.md §4.3", numbers, names) == ["interface.md"]
    assert miscited("docs/reference/interface.md §4.3 and docs/reference/policy.md \"Refunds\"", numbers, names) == []
    assert miscited("docs/reference/interface.md §9.9", numbers, names) == ["docs/reference/interface.md §9.9"]
    assert miscited('docs/reference/policy.md, "Nowhere"', numbers, names) == ['docs/reference/policy.md, "Nowhere"']


def test_every_citation_of_the_national_reference_resolves_inside_the_repository() -> None:
    numbers, names = reference_sections()
    texts = [n for n in tracked_texts() if not n.startswith("docs/reference/") and n != "tests/unit/test_references.py"]
    bad = [
        f"{name}:{number}: {cite}"
        for name in texts
        if (ROOT / name).exists()
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        for cite in miscited(line, numbers, names)
    ]
    assert not bad, "\n".join(bad)
