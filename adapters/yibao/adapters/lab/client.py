"""`yibao cert`: the lab's operator commands, sent to a running `yibao serve` over its operator API (api.py).

Standard library only: the command line builds this parser for every command, and `yibao serve --workers N`
must not have imported gRPC when it forks.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from yibao.simulators.his.tls_client import add_arguments as add_tls_client_arguments

DEFAULT_SERVER = "http://127.0.0.1:8080"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--server", default=os.environ.get("YIBAO_LAB_URL", DEFAULT_SERVER),
                   help=f"the HTTP address of `yibao serve` (default $YIBAO_LAB_URL or {DEFAULT_SERVER})")  # fmt: skip
    p.add_argument("--token", default=os.environ.get("YIBAO_LAB_TOKEN", ""),
                   help="the server's --lab-token, if it has one (default $YIBAO_LAB_TOKEN)")  # fmt: skip
    sub = p.add_subparsers(dest="action", required=True)
    new = sub.add_parser("new", help="open a session: the institution's calls go to a sandbox of the suite's state")
    new.add_argument("--institution", required=True, help="fixmedins_code of the HIS under test")
    new.add_argument("--suite", required=True, help="built-in suite name(s), comma-separated, or state file(s)")
    new.add_argument("--clock", default=None, help="start the lab clock here (default: the suite's, else the server's)")
    status = sub.add_parser("status", help="a session's state, clock and activity (every session without SESSION)")
    status.add_argument("session", nargs="?")
    for name, text in (("reset", "back to the suite's initial state"), ("close", "close the session")):
        sub.add_parser(name, help=text).add_argument("session")
    clock = sub.add_parser("clock", help="set (2026-06-01T09:00, or 'server') and/or --advance (6mo, 3d, 2h)")
    clock.add_argument("session")
    clock.add_argument("to", nargs="?", default=None, help="the platform time to set, or 'server'")
    clock.add_argument("--advance", default=None, help="move the clock on: 6mo, 3d, 2h, 90min, 1y2mo")
    clear = sub.add_parser("clear", help="clear a month across regions on the session's sandbox (as its operator)")
    clear.add_argument("session")
    clear.add_argument("month", help="the month to clear (setlym), yyyyMM, e.g. 202701")
    sub.add_parser("suites", help="the built-in suites")
    verdicts = sub.add_parser("verdicts", help="the verdict of every case of the session's suites, from its transcript")
    verdicts.add_argument("session")
    sub.add_parser(
        "coverage",
        help="the transactions, fields and error codes the built-in cases exercise, and what none does",
    )
    report = sub.add_parser("report", help="the session's report: verdicts, rule traces, transcript, latency")
    report.add_argument("session")
    report.add_argument("--format", choices=("json", "junit", "html"), default="json", help="default json")
    report.add_argument("-o", "--output", default=None, metavar="FILE", help="write it here (default: stdout)")
    bundle = sub.add_parser("bundle", help="the session's signed report bundle, for `yibao cert verify`")
    bundle.add_argument("session")
    bundle.add_argument("-o", "--output", required=True, metavar="FILE", help="the bundle file to write")
    verify = sub.add_parser("verify", help="check a report bundle offline (no server needed)")
    verify.add_argument("bundle", metavar="BUNDLE")
    verify.add_argument("--key-fingerprint", default="", metavar="FP",
                        help="insist on the lab's signing key (SHA256:…, as `yibao cert key` prints it)")  # fmt: skip
    verify.add_argument("--extract", default=None, metavar="DIR",
                        help="once verified, write report.json, report.html and report.junit.xml there")  # fmt: skip
    sub.add_parser("key", help="the lab's signing key: its public key and fingerprint")
    run = sub.add_parser("run", help="self-test: the simulated hospital or pharmacy works through the session's cases")
    run.add_argument("session")
    run.add_argument("--via", choices=("grpc", "http"), default="grpc", help="the HIS's transport (default grpc)")
    run.add_argument("--target", default="127.0.0.1:50051", help="the gRPC address of `yibao serve` (--via grpc)")
    run.add_argument("--world", default=None, help="the world file the server serves (default: the demo world)")
    run.add_argument("--behaviour", default="", help="a deliberately faulty HIS: comma-separated, of "
                     "new-msgid-resend, settle-before-presettle, double-cancel, skip-1101, no-catalogue-code, "
                     "ignore-maintenance")  # fmt: skip
    add_tls_client_arguments(run)  # the server's TLS (gRPC, and https:// for --server), as `yibao simulate` has
    run.add_argument("--keys", default=None, metavar="FILE",
                     help="sign the HIS's calls with the institution's key in this keys file (the server's --keys), "
                     "as `yibao simulate --keys` does (docs/security.md)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if args.action == "coverage":
        return _coverage()
    if args.action == "run":
        return _self_test(args)
    if args.action == "verify":
        return _verify(args)
    if args.action in ("report", "bundle"):
        return _download(args)
    try:
        method, path, body = _request(args)
    except ValueError as e:
        print(f"yibao cert: {e}", file=sys.stderr)
        return 2
    status, reply = call(args.server, method, path, body, args.token)
    print(json.dumps(reply, ensure_ascii=False, indent=1))
    return 0 if status < 400 else 1


def _request(args: argparse.Namespace) -> tuple[str, str, dict[str, Any] | None]:
    action = args.action
    if action == "new":
        body: dict[str, Any] = {"institution": args.institution, "suites": [_suite(s) for s in args.suite.split(",")]}
        if args.clock:
            body["clock"] = args.clock
        return "POST", "/lab/sessions", body
    if action == "status":
        return "GET", f"/lab/sessions/{args.session}" if args.session else "/lab/sessions", None
    if action == "reset":
        return "POST", f"/lab/sessions/{args.session}/reset", {}
    if action == "close":
        return "DELETE", f"/lab/sessions/{args.session}", None
    if action == "clock":
        if args.to is None and args.advance is None:
            raise ValueError("clock: give a time (2026-06-01T09:00, or server) and/or --advance (6mo, 3d, 2h)")
        body = {k: v for k, v in (("set", args.to), ("advance", args.advance)) if v is not None}
        return "POST", f"/lab/sessions/{args.session}/clock", body
    if action == "clear":
        return "POST", f"/lab/sessions/{args.session}/clearing", {"setlym": args.month}
    if action == "verdicts":
        return "GET", f"/lab/sessions/{args.session}/verdicts", None
    if action == "key":
        return "GET", "/lab/key", None
    return "GET", "/lab/suites", None


def _coverage() -> int:
    """The built-in cases' coverage, computed here from the case files (no server needed)."""
    from yibao.adapters.lab import cases
    from yibao.adapters.lab.field_coverage import field_coverage
    from yibao.errors import CATALOGUE
    from yibao.transactions import transactions
    from yibao.world.loader import load_world

    world = load_world(None)
    try:
        suites = cases.load_all(world)
    except cases.CaseFormatError as e:
        print(f"yibao cert: {e}", file=sys.stderr)
        return 1
    names = {i: t.national_name for i, t in transactions().items()}
    fields = field_coverage(suites, world)
    print(json.dumps(cases.coverage(suites, names, list(CATALOGUE), fields), ensure_ascii=False, indent=1))
    return 0


def _self_test(args: argparse.Namespace) -> int:
    """Run the session's built-in case suites at a simulated terminal of its institution, then print the verdicts.
    The exit status is 0 when every case passes."""
    from yibao.adapters.lab import cases
    from yibao.adapters.lab.runner import CaseRunner, LabClockFollower, terminal
    from yibao.world.loader import load_world

    try:
        tls, context, keys = _security(args)
    except ValueError as e:
        print(f"yibao cert: {e}", file=sys.stderr)
        return 2
    status, reply = call(args.server, "GET", f"/lab/sessions/{args.session}", None, args.token, context)
    if status >= 400:
        print(json.dumps(reply, ensure_ascii=False, indent=1))
        return 1
    session = reply["session"]
    world = load_world(args.world)
    institution = world.institutions.get(session["institution"])
    if institution is None:
        print(f"yibao cert: {session['institution']} is not in the world file given", file=sys.stderr)
        return 2
    try:
        # suites that move the lab clock go last whatever the order they were opened in (cases.run_order)
        suites = cases.run_order(
            [cases.load_builtin(n, world) for n in session["suites"] if n in cases.builtin_case_suites()]
        )
        behaviour = frozenset(b.strip() for b in args.behaviour.split(",") if b.strip())
        clock = LabClockFollower(datetime.fromisoformat(session["clock"]["now"]))
        his = terminal(institution, via=args.via, clock=clock, target=args.target, http_base=args.server,
                       tls=tls, ssl_context=context, keys=keys)  # fmt: skip
        runner = CaseRunner(
            his,
            world,
            behaviour,
            clock_setter(args.server, session["id"], args.token, context),
            prior_lookup(args.server, session["id"], args.token, context),
            month_clearer(args.server, session["id"], args.token, context),
        )
    except (cases.CaseFormatError, ValueError) as e:
        print(f"yibao cert: {e}", file=sys.stderr)
        return 2
    if not suites:
        known = ", ".join(cases.builtin_case_suites())
        print(f"yibao cert: session {session['id']} has no built-in case suite (its suites: "
              f"{', '.join(session['suites'])}; with cases: {known})", file=sys.stderr)  # fmt: skip
        return 2
    for suite in suites:
        for case_run in runner.run_suite(suite):
            state = "done" if case_run.completed else f"stopped: {case_run.problem}"
            print(f"{suite.name}/{case_run.case}: {state}", file=sys.stderr)
    status, verdicts = call(args.server, "GET", f"/lab/sessions/{args.session}/verdicts", None, args.token, context)
    print(json.dumps(verdicts, ensure_ascii=False, indent=1))
    if status >= 400:
        return 1
    return 0 if verdicts["summary"]["pass"] == len(verdicts["cases"]) else 1


def _security(args: argparse.Namespace) -> tuple[Any, ssl.SSLContext | None, dict[str, Any] | None]:
    """What `cert run` connects with: the gRPC channel's TLS (ClientTls), the HTTPS context (the same CA and client
    certificate, for the national entry and the operator API at an https:// --server), and the signing keys.
    ValueError names a file that cannot be used."""
    from yibao.request_signing import KeysFileError, client_keys, load_keys
    from yibao.simulators.his import tls_client

    tls = tls_client.from_args(args)
    context = None
    if tls is not None or args.server.startswith("https://"):
        try:
            context = ssl.create_default_context(cafile=args.tls_ca)
            if args.tls_cert is not None:
                context.load_cert_chain(args.tls_cert, args.tls_key)
        except (OSError, ssl.SSLError) as e:
            raise ValueError(f"the TLS files cannot be used: {e}") from None
    try:
        keys = client_keys(load_keys(args.keys)) if args.keys else None
    except KeysFileError as e:
        raise ValueError(f"cannot load the keys file: {e}") from None
    return tls, context, keys


def _download(args: argparse.Namespace) -> int:
    """A report (to FILE or stdout) or a bundle (to FILE, with its key's fingerprint and its SHA-256 printed)."""
    import hashlib

    if args.action == "report":
        path = f"/lab/sessions/{args.session}/report?format={args.format}"
    else:
        path = f"/lab/sessions/{args.session}/bundle"
    status, data, headers = fetch(args.server, path, args.token)
    if status >= 400:
        sys.stdout.write(data.decode("utf-8", "replace"))
        return 1
    if args.output is None:
        sys.stdout.buffer.write(data)
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as e:
        print(f"yibao cert: cannot write {args.output}: {e.strerror or e}", file=sys.stderr)
        return 1
    if args.action == "bundle":
        print(f"wrote {args.output} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})")
        print(f"signed by the lab's key {headers.get('x-lab-key-fingerprint', '?')}")
        print(f"check it anywhere with: yibao cert verify {args.output} --key-fingerprint "
              f"{headers.get('x-lab-key-fingerprint', '?')}")  # fmt: skip
    else:
        print(f"wrote {args.output} ({len(data)} bytes)", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    """Check a bundle offline: exit 0 and what it vouches for, or exit 1 naming what failed."""
    from yibao.adapters.lab import bundle

    try:
        data = Path(args.bundle).read_bytes()
    except OSError as e:
        print(f"yibao cert verify: cannot read {args.bundle}: {e.strerror or e}", file=sys.stderr)
        return 2
    try:
        vouched = bundle.verify(data, args.key_fingerprint)
    except bundle.BundleError as e:
        print(f"FAILED {args.bundle}: {e}")
        return 1
    print(f"OK {args.bundle}: session {vouched['session']} of {vouched['institution']}, signed "
          f"{vouched['created_at']} by {vouched['fingerprint']}")  # fmt: skip
    print(json.dumps(vouched, ensure_ascii=False, indent=1))
    if args.extract:
        from yibao.adapters.lab import report

        folder = Path(args.extract)
        folder.mkdir(parents=True, exist_ok=True)
        whole = bundle.report_of(data)
        for name, fmt in (("report.json", "json"), ("report.html", "html"), ("report.junit.xml", "junit")):
            (folder / name).write_bytes(report.render(whole, fmt))
        print(f"wrote report.json, report.html and report.junit.xml to {folder}")
    return 0


def fetch(server: str, path: str, token: str = "") -> tuple[int, bytes, dict[str, str]]:
    """(HTTP status, body, headers with lower-case names) of a GET whose answer is not necessarily JSON."""
    request = urllib.request.Request(server.rstrip("/") + path, method="GET")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read(), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        body = {"error": {"code": "LAB_SERVER_UNREACHABLE", "message": f"{server}: {reason}"}}
        return 599, json.dumps(body).encode() + b"\n", {}


def _suite(text: str) -> Any:
    """A built-in suite's name as it is, or a state file read here and sent whole (the server may be elsewhere)."""
    text = text.strip()
    path = Path(text)
    if text.endswith(".json") or os.sep in text:
        try:
            state = json.loads(path.read_text("utf-8"))
        except OSError as e:
            raise ValueError(f"cannot read the state file {text}: {e.strerror or e}") from None
        except json.JSONDecodeError as e:
            raise ValueError(f"{text}: not valid JSON: {e}") from None
        name = "".join(c if c.isalnum() or c in "-_" else "-" for c in path.stem.lower())[:40] or "suite"
        return {"name": name, "state": state}
    return text


def clock_setter(
    server: str, session: str, token: str = "", context: ssl.SSLContext | None = None
) -> Callable[[dict[str, str]], datetime]:
    """What a card's clock step does through the operator API: move the session's clock, return its new time."""

    def move(body: dict[str, str]) -> datetime:
        from yibao.adapters.lab.runner import LabClockError

        status, reply = call(server, "POST", f"/lab/sessions/{session}/clock", body, token, context)
        if status >= 400:
            raise LabClockError(f"the lab refused {body}: {reply.get('error', reply)}")
        return datetime.fromisoformat(reply["session"]["clock"]["now"])

    return move


def month_clearer(
    server: str, session: str, token: str = "", context: ssl.SSLContext | None = None
) -> Callable[[str], list[dict[str, Any]]]:
    """What a card's clear step does through the operator API: the lab, as its sandbox's operator, clears a month
    across regions; returns the clearing statements made."""

    def clear(month: str) -> list[dict[str, Any]]:
        from yibao.adapters.lab.runner import LabClockError

        status, reply = call(server, "POST", f"/lab/sessions/{session}/clearing", {"setlym": month}, token, context)
        if status >= 400:
            raise LabClockError(f"the lab would not clear {month}: {reply.get('error', reply)}")
        made: list[dict[str, Any]] = reply["statements"]
        return made

    return clear


def prior_lookup(
    server: str, session: str, token: str = "", context: ssl.SSLContext | None = None
) -> Callable[[str], tuple[str, str]]:
    """What a card's cancel_prior step needs: the ids of the settlement the state made before the session for the
    case, from the session's view (they change at each reset, so they are read when needed)."""

    def find(case: str) -> tuple[str, str]:
        from yibao.adapters.lab.runner import LabClockError

        status, reply = call(server, "GET", f"/lab/sessions/{session}", None, token, context)
        made = [p for p in reply.get("session", {}).get("prior_settlements", []) if p["case"] == case]
        if status >= 400 or not made:
            raise LabClockError(f"the session has no prior settlement for case {case}")
        return made[-1]["setl_id"], made[-1]["mdtrt_id"]

    return find


def call(
    server: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    token: str = "",
    context: ssl.SSLContext | None = None,
) -> tuple[int, Any]:
    """(HTTP status, JSON reply) of one API call (over https:// with `context`: the CA, a client certificate); a
    server that cannot be reached is an error reply too."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.rstrip("/") + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60, context=context) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, {"error": {"code": f"HTTP_{e.code}", "message": raw[:300].decode("utf-8", "replace")}}
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        return 599, {"error": {"code": "LAB_SERVER_UNREACHABLE", "message": f"{server}: {reason}"}}
