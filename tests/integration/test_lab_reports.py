"""Lab reports and bundles (issue 18, item 7): a session's report as JSON, JUnit XML that xml.etree parses (one
testcase per case, each failure naming rule, msgid, field, expected and actual) and HTML for people (each case, its
transcript and rule trace, a latency chart, no personal data unmasked, no script); a signed bundle that `yibao cert
verify` checks offline — intact it verifies, also copied elsewhere with no server and no lab directory; with one
byte changed in its transcript, its report or its signature it fails and says where."""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from test_lab_sessions import Platform
from test_lab_verdicts import run

from yibao.adapters.lab import bundle
from yibao.adapters.lab.client import fetch
from yibao.domain.world import World
from yibao.world.loader import load_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


@pytest.fixture
def platform(tmp_path: Path, demo: World) -> Iterator[Platform]:
    p = Platform(tmp_path, demo)
    yield p
    p.close()


def get(platform: Platform, path: str) -> tuple[int, bytes, dict[str, str]]:
    return fetch(platform.base, path)


def personal_data(world: World, psn_nos: set[str]) -> list[str]:
    """Every name and personal number of the persons the session met, as they are in the world."""
    out = []
    for p in (world.persons[n] for n in psn_nos if n in world.persons):
        out += [p.psn_no, p.certno, p.psn_name, p.ec_token, p.card_no, p.card_sn]
    return [v for v in out if v and len(v) >= 2]


def cert(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    code = "import sys; from yibao.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "cert", *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_report_as_json_junit_and_html(platform: Platform) -> None:
    world = platform.world
    session, verdicts = run(platform, "outpatient", behaviour=frozenset({"double-cancel"}))
    sid = session["id"]

    status, raw, headers = get(platform, f"/lab/sessions/{sid}/report?format=json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    report = json.loads(raw)
    assert report["summary"] == verdicts["summary"] and report["summary"]["fail"] == 1
    assert [c["case"] for c in report["cases"]] == [c["case"] for c in verdicts["cases"]]
    lines = report["transcript"]
    assert lines and all(line["request"] and ("reply" in line or "refusal" in line) for line in lines)
    assert all(line["duration_us"] > 0 for line in lines)
    assert {row["infno"] for row in report["latency"]} == {line["infno"] for line in lines}
    for c in report["cases"]:  # every case's messages are in the transcript, attributed to it
        mine = [line for line in lines if line["case"] == f"outpatient/{c['case']}"]
        assert [m["msgid"] for m in mine] == [m["msgid"] for m in c["messages"]]
        assert {t["rule"] for t in c["trace"]} >= {"step", "msgid-format", "amount", "cancel-once"}
    op02 = next(c for c in report["cases"] if c["case"] == "OP-02")
    assert op02["verdict"] == "fail"
    assert {t["rule"]: t["result"] for t in op02["trace"]}["cancel-once"] == "fail"
    settled = next(line for line in lines if line["infno"] == "2207" and line["outcome"] == "ok")
    assert settled["reply"]["output"]["setlinfo"]["setl_id"]

    status, xml, headers = get(platform, f"/lab/sessions/{sid}/report?format=junit")
    assert status == 200 and "xml" in headers["content-type"]
    root = ET.fromstring(xml)
    assert root.tag == "testsuites" and root.get("tests") == str(len(report["cases"])) and root.get("failures") == "1"
    (suite,) = root.findall("testsuite")
    testcases = suite.findall("testcase")
    assert [t.get("name", "").split(" ")[0] for t in testcases] == [c["case"] for c in report["cases"]]
    for t in testcases:
        float(t.get("time", "x"))
        assert t.get("classname") == "yibao.lab.outpatient"
    failures = [(t, t.find("failure")) for t in testcases if t.find("failure") is not None]
    assert len(failures) == 1
    testcase, failure = failures[0]
    assert failure is not None and testcase.get("name", "").startswith("OP-02")
    found = next(f for f in op02["failures"] if f["rule"] == "cancel-once")
    message = failure.get("message", "")
    assert failure.get("type") == "cancel-once"
    for part in ("cancel-once", found["msgid"], found["field"], found["expected"], found["actual"]):
        assert part in message, (part, message)

    status, page, headers = get(platform, f"/lab/sessions/{sid}/report?format=html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    text = page.decode()
    for c in report["cases"]:
        assert f'id="outpatient-{c["case"]}"' in text and c["title"].replace("'", "&#x27;") in text
    assert text.count("<svg") == 1 and 'id="latency-chart"' in text and "@media print" in text
    assert "<script" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Rule trace" in text and "Settlement rule trace" in text and settled["msgid"] in text
    met = {c.person for c in _cases(world)} | {line.get("request", {}).get("input", {}).get("data", {}).get(
        "psn_no", "") for line in lines}  # fmt: skip
    secrets = personal_data(world, met)
    assert secrets, "the session met persons of the world"
    for fmt, body in (("html", page), ("json", raw), ("junit", xml)):
        shown = body.decode()
        leaked = [s for s in secrets if s in shown or json.dumps(s)[1:-1] in shown]
        assert not leaked, (fmt, leaked)
    assert "1101****" in text or "****" in text  # masked, not dropped

    status, wrong, _ = get(platform, f"/lab/sessions/{sid}/report?format=pdf")
    assert status == 400 and json.loads(wrong)["error"]["code"] == "LAB_FIELD"


def _cases(world: World) -> list[Any]:
    from yibao.adapters.lab import cases

    return list(cases.load_builtin("outpatient", world).cases)


def flip(data: bytes, start: int, end: int, seed: int = 1) -> tuple[bytes, int]:
    """One byte between start and end (a letter or digit) changed to another of its kind."""
    rng = random.Random(seed)
    positions = [k for k in range(start, end) if chr(data[k]).isalnum()]
    k = rng.choice(positions)
    old = chr(data[k])
    pool = "0123456789" if old.isdigit() else "abcdef" if old in "abcdef" else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    new = rng.choice([c for c in pool if c != old])
    return data[:k] + new.encode() + data[k + 1 :], k


def flip_value(data: bytes, start: int, key: str, nth: int = 0) -> tuple[bytes, int]:
    """The last character of the nth string value of `key` after `start` changed."""
    at = start
    for _ in range(nth + 1):
        at = data.index(f'"{key}": "'.encode(), at) + len(key) + 5
    end = data.index(b'"', at)
    return flip(data, end - 1, end)


def section(data: bytes, key: str) -> tuple[int, int]:
    """The byte range of a top-level part of a bundle file."""
    start = data.index(f'\n "{key}": '.encode())
    ends = [data.index(f'\n "{k}": '.encode()) for k in ("format", "manifest", "report", "signature", "transcript")]
    end = min([e for e in ends if e > start] + [len(data)])
    return start + len(key) + 6, end


def test_a_bundle_verifies_offline_and_any_changed_byte_fails(platform: Platform, tmp_path: Path) -> None:
    session, _ = run(platform, "outpatient")
    sid = session["id"]
    out = tmp_path / "made" / "lab.bundle.json"
    out.parent.mkdir()
    done = cert("--server", platform.base, "bundle", sid, "-o", str(out))
    assert done.returncode == 0, done.stderr + done.stdout
    key = tmp_path / "yibao-lab" / bundle.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    status, reply, _ = get(platform, "/lab/key")
    assert status == 200
    fp = json.loads(reply)["fingerprint"]
    assert fp.startswith("SHA256:") and fp in done.stdout
    data = out.read_bytes()
    doc = json.loads(data)
    assert doc["manifest"]["transcript"]["entries"] == len(doc["transcript"]) > 10
    assert set(doc["manifest"]["files"]) == {"protos", "world", "suites"}
    assert "yibao/v1/settlement.proto" in doc["manifest"]["files"]["protos"]
    assert set(doc["manifest"]["files"]["suites"]) == {"outpatient (state)", "outpatient.cases.json"}

    # elsewhere: another folder, no server, no lab directory, the key expected
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = elsewhere / "received.json"
    shutil.copy(out, copy)
    platform.close()
    shutil.rmtree(tmp_path / "yibao-lab")
    ok = cert("verify", str(copy), "--key-fingerprint", fp, "--extract", str(elsewhere / "x"), cwd=elsewhere)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith(f"OK {copy}: session {sid}")
    assert {p.name for p in (elsewhere / "x").iterdir()} == {"report.json", "report.html", "report.junit.xml"}
    ET.fromstring((elsewhere / "x" / "report.junit.xml").read_bytes())
    assert json.loads((elsewhere / "x" / "report.json").read_bytes())["transcript"] == [
        link["entry"] for link in doc["transcript"]
    ]
    other = cert("verify", str(copy), "--key-fingerprint", "SHA256:" + "A" * 43, cwd=elsewhere)
    assert other.returncode == 1 and "signature.public_key" in other.stdout

    # one byte changed in the transcript, the report, the signature: each fails, saying where
    start, end = section(data, "transcript")
    tampered, _ = flip_value(data, start, "msgid", nth=7)
    with pytest.raises(bundle.BundleError) as e:
        bundle.verify(tampered)
    assert e.value.where.startswith("transcript["), str(e.value)
    changed_links = [n for n, (a, b) in enumerate(zip(doc["transcript"], json.loads(tampered)["transcript"],
                                                       strict=True)) if a != b]  # fmt: skip
    assert (
        len(changed_links) == 1
        and e.value.where == f"transcript[{changed_links[0]}] (chain position {changed_links[0]})"
    )
    (elsewhere / "t.json").write_bytes(tampered)
    failed = cert("verify", str(elsewhere / "t.json"), cwd=elsewhere)
    assert failed.returncode == 1 and failed.stdout.startswith("FAILED") and "chain position" in failed.stdout

    start, end = section(data, "report")
    with pytest.raises(bundle.BundleError) as e:
        bundle.verify(flip_value(data, start, "generated_at")[0])
    assert e.value.where == "report" and "SHA-256" in e.value.why

    start, end = section(data, "signature")
    value = data.index(b'"value": "', start) + 10
    with pytest.raises(bundle.BundleError) as e:
        bundle.verify(flip(data, value, value + 80)[0])
    assert e.value.where == "signature" and "does not verify" in e.value.why

    start, end = section(data, "manifest")
    with pytest.raises(bundle.BundleError) as e:
        bundle.verify(flip(data, start, end)[0])
    assert e.value.where.startswith("signature")

    for seed in range(60):  # anywhere at all: a changed byte never verifies
        k = random.Random(seed).randrange(len(data))
        changed = data[:k] + bytes([data[k] ^ (1 << (seed % 7))]) + data[k + 1 :]
        with pytest.raises(bundle.BundleError):
            bundle.verify(changed)
    with pytest.raises(bundle.BundleError) as e:  # the same content, laid out otherwise
        bundle.verify(json.dumps(doc, sort_keys=True, indent=2).encode())
    assert e.value.where == "file"
    bundle.verify(data, fp)


def test_one_signing_key_per_lab_directory(platform: Platform, tmp_path: Path) -> None:
    session = platform.open("H11010100001", "outpatient")
    prints = set()
    for _ in range(2):
        status, data, headers = get(platform, f"/lab/sessions/{session['id']}/bundle")
        assert status == 200, data
        assert bundle.verify(data)["fingerprint"] == headers["x-lab-key-fingerprint"]
        assert headers["content-disposition"] == f'attachment; filename="{session["id"]}.bundle.json"'
        prints.add(headers["x-lab-key-fingerprint"])
    assert len(prints) == 1
    key = tmp_path / "yibao-lab" / bundle.KEY_FILE
    os.chmod(key, 0o644)
    status, data, _ = get(platform, f"/lab/sessions/{session['id']}/bundle")
    assert status == 503 and json.loads(data)["error"]["code"] == "LAB_KEY"
    assert "chmod 600" in json.loads(data)["error"]["message"]
