"""`yibao cert`: the lab's operator commands, sent to a running `yibao serve` over its operator API (api.py).

Standard library only: the command line builds this parser for every command, and `yibao serve --workers N`
must not have imported gRPC when it forks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

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
    sub.add_parser("suites", help="the built-in suites")
    verdicts = sub.add_parser("verdicts", help="the verdict of every case of the session's suites, from its transcript")
    verdicts.add_argument("session")
    sub.add_parser("coverage", help="the transactions and error codes the built-in cases exercise, and what none does")
    run = sub.add_parser("run", help="self-test: the simulated hospital or pharmacy works through the session's cases")
    run.add_argument("session")
    run.add_argument("--via", choices=("grpc", "http"), default="grpc", help="the HIS's transport (default grpc)")
    run.add_argument("--target", default="127.0.0.1:50051", help="the gRPC address of `yibao serve` (--via grpc)")
    run.add_argument("--world", default=None, help="the world file the server serves (default: the demo world)")
    run.add_argument("--behaviour", default="", help="a deliberately faulty HIS: comma-separated, of "
                     "new-msgid-resend, settle-before-presettle, double-cancel, skip-1101")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if args.action == "coverage":
        return _coverage()
    if args.action == "run":
        return _self_test(args)
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
    if action == "verdicts":
        return "GET", f"/lab/sessions/{args.session}/verdicts", None
    return "GET", "/lab/suites", None


def _coverage() -> int:
    """The built-in cases' coverage, computed here from the case files (no server needed)."""
    from yibao.adapters.lab import cases
    from yibao.errors import CATALOGUE
    from yibao.transactions import transactions
    from yibao.world.loader import load_world

    try:
        suites = cases.load_all(load_world(None))
    except cases.CaseFormatError as e:
        print(f"yibao cert: {e}", file=sys.stderr)
        return 1
    names = {i: t.national_name for i, t in transactions().items()}
    print(json.dumps(cases.coverage(suites, names, list(CATALOGUE)), ensure_ascii=False, indent=1))
    return 0


def _self_test(args: argparse.Namespace) -> int:
    """Run the session's built-in case suites at a simulated terminal of its institution, then print the verdicts.
    The exit status is 0 when every case passes."""
    from datetime import datetime

    from yibao.adapters.lab import cases
    from yibao.adapters.lab.runner import CaseRunner, LabClockFollower, terminal
    from yibao.world.loader import load_world

    status, reply = call(args.server, "GET", f"/lab/sessions/{args.session}", None, args.token)
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
        suites = [cases.load_builtin(n, world) for n in session["suites"] if n in cases.builtin_case_suites()]
        behaviour = frozenset(b.strip() for b in args.behaviour.split(",") if b.strip())
        clock = LabClockFollower(datetime.fromisoformat(session["clock"]["now"]))
        his = terminal(institution, via=args.via, clock=clock, target=args.target, http_base=args.server)
        runner = CaseRunner(his, world, behaviour)
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
    status, verdicts = call(args.server, "GET", f"/lab/sessions/{args.session}/verdicts", None, args.token)
    print(json.dumps(verdicts, ensure_ascii=False, indent=1))
    if status >= 400:
        return 1
    return 0 if verdicts["summary"]["pass"] == len(verdicts["cases"]) else 1


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


def call(server: str, method: str, path: str, body: dict[str, Any] | None, token: str = "") -> tuple[int, Any]:
    """(HTTP status, JSON reply) of one API call; a server that cannot be reached is an error reply too."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.rstrip("/") + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
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
