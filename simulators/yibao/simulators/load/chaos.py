"""`yibao chaos`: a fault campaign anyone can rerun (issue 17, item 6).

It starts `yibao serve --workers 2` on an empty store (a new SQLite file unless --db) and lets simulated HIS
desks (simulators/yibao/simulators/his) run outpatient visits, each ending in a 2207 settlement, until
--settlements are acknowledged, while --faults faults are injected, spread evenly over the run, in an order
drawn from --seed:

- server side: SIGKILL of the settlement core process (SQLite only: PostgreSQL has none), of a gRPC worker,
  or of the supervisor, after which the campaign starts `yibao serve` again on the same store and ports (as
  systemd would; it does the same when serve stops by itself, e.g. after too many restarts of its children);
- in the store of the process that writes (the core on SQLite, a worker on PostgreSQL), a disk I/O error: on a
  write inside a transaction ("disk write": it must be rolled back and answered not carried out), on its commit,
  before or after the database made it durable ("disk commit": the outcome is unknown and must be answered so),
  or on the fsync of the WAL (SQLite only: the calls committed are answered with an unknown outcome, and the
  core stops, and serve with it, as it must after a refused fsync). src/yibao/storage/faults.py arms them;
- client side, on a 2207: its reply lost (a deadline of a few milliseconds: the HIS does not know whether it
  was carried out), the same message sent four times at once over two connections, or a 2601 reversal sent
  right behind it, racing its original.

The desks behave as a careful HIS: a call whose outcome they do not know (a transport error,
CORE_OUTCOME_UNKNOWN or STORE_OUTCOME_UNKNOWN) is resolved by a Y5203 query and/or by resending it unchanged under
the same msgid; a call answered "not carried out" (CORE_UNAVAILABLE, GATEWAY_BUSY, CALL_DEADLINE_PASSED,
STORE_WRITE_FAILED) on its first send is believed and sent again under a new msgid; on a resend after an unknown
outcome that answer speaks of the resend only (the catalogue's text says the earlier send's outcome stands), so it
is resent unchanged. At the end, with the gateway serving again, it checks and prints:

- acknowledged: the 2207s answered with a settlement (less those a racing 2601 reversed: the HIS's ledger
  then holds the settlement, learnt from its reply or from Y5203, and the 2601's refund record);
- acknowledged but lost: one whose setl_id is not in the store;
- executed twice: more than one settlement for one visit's charge batch, a msgid that settled twice (two
  settlements, two journaled executions, or two different replies), or a settlement the HIS never heard of;
- answered falsely: a call answered "not carried out" that Y5203 shows was carried out;
- the HIS's ledger against 3201 (totals per insutype) and 3202 (every record) and against the store's sums,
  to the fen;
- the month's cross-region clearing against the HIS's ledger, to the fen. 12 of the demo world's 42 active
  persons are insured in another city (Fushun 210400, Shenzhen 440300); each is given a long-term cross-region
  filing to Beijing (2505, fil_type 12, before the desks start), so their general outpatient visits get fund
  payments to clear. At the end serve is started again with its clock moved past the month's end (`yibao serve
  --clock-offset`, through $YIBAO_CLOCK_OFFSET), and the world's operator institution (OPERATOR, made one in the
  world file the campaign writes) clears the month (Y3270); each statement, per insured place, must hold the
  HIS's cross-region records: their count, medical fees and fund payments.

Every figure must be zero, or equal; the exit status is 1 otherwise. docs/deployment.md, "Fault campaign".

Under security (docs/security.md): with --tls-ca the serve it starts speaks TLS (its certificate --serve-tls-cert,
by default server.pem beside the CA) and every desk connects over TLS; with --tls-cert and --tls-key too, the serve
requires client certificates of that CA and the desks present theirs (the campaign's one institution). With --keys
the serve is given the keys file and every call is signed with the institution's key from it, resends included
(each send a fresh nonce). With --keys or --tls-cert the clearing is not checked (the summary says so): the
campaign holds no operator credential.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import func, select

from yibao import platform_clock
from yibao.domain.benefit_policy import locality
from yibao.request_signing import ClientKey, client_keys, load_keys
from yibao.simulators.his import tls_client
from yibao.simulators.his.client import HisClient, HisRefused, error_detail
from yibao.simulators.his.envelope import MsgidSequence
from yibao.simulators.his.hospital import active_persons, certificate, run_outpatient_visit
from yibao.simulators.his.receipt import HisCheckFailed
from yibao.simulators.his.signing import signing_channel
from yibao.simulators.his.tls_client import ClientTls, open_channel
from yibao.simulators.load.bench import children, free_port
from yibao.storage import faults
from yibao.storage import schema as t
from yibao.storage.store import Store
from yibao.v1 import clearing_pb2 as clpb
from yibao.v1 import filing_pb2 as fpb
from yibao.v1 import reconciliation_pb2 as rcpb
from yibao.v1 import reversal_pb2 as rpb
from yibao.world.loader import load_world, world_text

HOSPITAL = "H11010100001"  # the demo world's
OPERATOR = "H11010500002"  # another Beijing hospital of the demo world, made the operator institution (clearing)
LONG_TERM_RESIDENCE = "12"  # fil_type 异地长期居住: home standards, open to every insutype and psn_type
NOT_CARRIED_OUT = frozenset({"CORE_UNAVAILABLE", "GATEWAY_BUSY", "CALL_DEADLINE_PASSED", "STORE_WRITE_FAILED"})
UNKNOWN = frozenset({"CORE_OUTCOME_UNKNOWN", "STORE_OUTCOME_UNKNOWN"})
SERVER_FAULTS = ("core", "worker", "supervisor")
DISK_FAULTS = ("disk write", "disk commit", "fsync")  # fsync: SQLite only (the core's WAL)
CLIENT_FAULTS = ("lost reply", "duplicates", "2601 race")
CALL_TIMEOUT = 30.0
RESOLVE_SECONDS = 300.0  # how long a desk keeps resending a call whose outcome it does not know
FIELDS = ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "psn_cash_pay")


@dataclass(frozen=True)
class Security:
    """What the serve is started with (`serve_flags`) and how a desk connects and signs."""

    serve_flags: tuple[str, ...] = ()
    tls: ClientTls | None = None
    keys: dict[str, ClientKey] | None = None

    def channel(self, target: str) -> Any:
        """A connection of its own (not gRPC's shared one), over TLS and signing as configured."""
        options = [("grpc.use_local_subchannel_pool", 1)]
        return signing_channel(open_channel(target, self.tls, options), self.keys)


def security(args: argparse.Namespace) -> Security:
    """The --tls-* and --keys options read and checked; ValueError names the option and what is wrong."""
    tls = tls_client.from_args(args)
    flags: list[str] = []
    if tls is not None:
        if args.tls_ca is None:
            raise ValueError("--tls-cert needs --tls-ca: the CA the serve's certificate and the client's chain to")
        folder = Path(args.tls_ca).parent
        cert = args.serve_tls_cert or str(folder / "server.pem")
        key = args.serve_tls_key or str(folder / "server-key.pem")
        for flag, path in (("--serve-tls-cert", cert), ("--serve-tls-key", key)):
            if not Path(path).is_file():
                raise ValueError(f"{flag} {path}: no such file (make it with `yibao certs server`)")
        flags += ["--tls-cert", cert, "--tls-key", key]
        flags += ["--tls-client-ca", args.tls_ca] if tls.cert is not None else []
    elif args.serve_tls_cert or args.serve_tls_key:
        raise ValueError("--serve-tls-cert and --serve-tls-key need --tls-ca (the desks must trust the serve)")
    keys = None
    if args.keys:
        keys = client_keys(load_keys(args.keys))
        if HOSPITAL not in keys:
            raise ValueError(f"--keys {args.keys}: names no key for {HOSPITAL}, the institution the desks act for")
        flags += ["--keys", args.keys]
    return Security(tuple(flags), tls, keys)


class Gateway:
    """`yibao serve --workers 2` on one store and one port, started again whenever it is gone."""

    def __init__(self, db: str, workdir: Path, secure: Security = Security()) -> None:
        self.db, self.port, self.secure = db, free_port(), secure
        self.faults = workdir / "store-faults"  # src/yibao/storage/faults.py: one file per armed fault
        self.faults.mkdir(exist_ok=True)
        self.target = f"127.0.0.1:{self.port}"
        self.log_path = workdir / "gateway.log"
        self.world_path = operator_world(workdir)
        self.proc: subprocess.Popen[bytes] | None = None
        self.offset = 0
        self.starts = Counter[str]()

    def start(self, why: str) -> None:
        deadline = time.monotonic() + 120
        while True:
            self.offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            # the access log in a file of its own: roles() reads gateway.log, again and again
            command = [sys.executable, "-m", "yibao.cli", "serve", "--workers", "2", "--port", str(self.port),
                       "--http-port", "0", "--db", self.db, "--threads", "4", "--world", str(self.world_path),
                       "--access-log", str(self.log_path.with_name("access.log")),
                       *self.secure.serve_flags]  # fmt: skip
            environment = {**os.environ, faults.ENVIRONMENT: str(self.faults)}
            with self.log_path.open("ab") as log:
                self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
            if self._serving(deadline):
                self.starts[why] += 1
                return
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            if time.monotonic() > deadline:
                raise RuntimeError(f"yibao serve did not start; see {self.log_path}")
            time.sleep(0.5)

    def _serving(self, deadline: float) -> bool:
        assert self.proc is not None
        with self.secure.channel(self.target) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while self.proc.poll() is None and time.monotonic() < deadline:
                try:
                    stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
                    return len(self.roles()) >= 2
                except grpc.RpcError:
                    time.sleep(0.1)
        return False

    def roles(self) -> dict[str, int]:
        """role ("worker 1", "worker 2", "settlement core") -> its pid now, from this serve's log."""
        with self.log_path.open("rb") as log:
            log.seek(self.offset)
            text = log.read().decode(errors="replace")
        found: dict[str, int] = {}
        for line in text.splitlines():
            if "processes:" in line:
                found.update((m[0], int(m[1])) for m in re.findall(r"(worker \d+|settlement core) pid (\d+)", line))
            elif m := re.search(r"(worker \d+|settlement core) forked again: pid (\d+)", line):
                found[m[1]] = int(m[2])
        return found

    def ensure_running(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.start("after serve stopped by itself")

    def kill(self, role: str) -> bool:
        """SIGKILL one of this serve's children by its role; False when it has none such now."""
        assert self.proc is not None
        pid = self.roles().get(role)
        if pid is None or pid not in children(self.proc.pid):
            return False
        os.kill(pid, signal.SIGKILL)
        return True

    def fail_disk(self, point: str, n: int) -> None:
        """Arm one disk fault at `point` and wait until the process that writes has taken it."""
        armed = self.faults / f"{point}-{n}"
        armed.touch()
        while armed.exists():
            self.ensure_running()
            time.sleep(0.01)
        if point == "fsync" and self.proc is not None:  # the core stops, and serve with it: the next fault waits
            with contextlib.suppress(subprocess.TimeoutExpired):  # for the new serve, not its start-up
                self.proc.wait(timeout=60)
            self.ensure_running()

    def kill_supervisor(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        self.start("after SIGKILL of the supervisor")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass(frozen=True)
class Record:
    """A settlement (flag "0") or refund record ("1") as the HIS holds it."""

    setl_id: str
    flag: str
    msgid: str
    mdtrt_id: str
    insutype: str
    amounts: tuple[Decimal, Decimal, Decimal, Decimal]  # FIELDS
    psn_no: str = ""  # a settlement's person (its insured place is cleared); a refund record's is its original's


def record(setlinfo: Any, flag: str, msgid: str) -> Record:
    amounts = tuple(Decimal(getattr(setlinfo, f)) for f in FIELDS)
    return Record(setlinfo.setl_id, flag, msgid, setlinfo.mdtrt_id, setlinfo.insutype, amounts,  # type: ignore[arg-type]
                  setlinfo.psn_no if flag == "0" else "")  # fmt: skip


def operator_world(workdir: Path) -> Path:
    """The demo world with OPERATOR an operator institution, written to `workdir` for serve's --world."""
    raw = json.loads(world_text(None))
    next(i for i in raw["institutions"] if i["fixmedins_code"] == OPERATOR)["operator"] = True
    path = workdir / "world.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    return path


def insured_place(world: Any, psn_no: str, insutype: str) -> str:
    person = world.persons.get(psn_no)
    places = [i.insuplc_admdvs for i in (person.insurances if person else ()) if i.insutype == insutype]
    return places[0] if places else ""


def past_month_end(now: datetime) -> float:
    """Seconds from `now` to one hour into the next month: the clock offset that lets this month be cleared."""
    first = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=1, minute=0, second=0, microsecond=0)
    return (first - now).total_seconds()


class Campaign:
    def __init__(self, args: argparse.Namespace, db: str, workdir: Path, sqlite: bool, secure: Security) -> None:
        self.args, self.db = args, db
        self.gateway = Gateway(db, workdir, secure)
        self.world = load_world(self.gateway.world_path)
        self.institution = self.world.institutions[HOSPITAL]
        self.sequence = MsgidSequence()
        self.persons = active_persons(self.world)  # Beijing's, and the cross-region ones filed to Beijing by file()
        self.lock = threading.Lock()
        self.acked: dict[str, Record] = {}  # 2207 msgid -> the settlement it made (its reply, or Y5203)
        self.refunds: dict[str, Record] = {}  # 2207 msgid -> the refund record of the 2601 that reversed it
        self.told_not_done: dict[str, str] = {}  # msgid -> the "not carried out" code it was answered with
        self.twice: list[str] = []  # what the desks saw executed twice
        self.failures: list[str] = []
        self.counts = Counter[str]()  # what happened, for the summary
        self.injected = Counter[str]()
        self.pending: deque[str] = deque()  # client-side faults for the next 2207s
        self.done = threading.Event()
        server = [*SERVER_FAULTS, *DISK_FAULTS] if sqlite else [*SERVER_FAULTS[1:], *DISK_FAULTS[:-1]]
        kinds = [*server, *CLIENT_FAULTS]
        self.rng = random.Random(args.seed)
        self.plan = [kinds[i % len(kinds)] for i in range(args.faults)]
        self.rng.shuffle(self.plan)

    def settled(self) -> int:
        with self.lock:
            return len(self.acked.keys() - self.refunds.keys())

    def take_fault(self) -> str | None:
        with self.lock:
            if not self.pending:
                return None
            kind = self.pending.popleft()
            self.injected[kind] += 1
            return kind

    def answered(self, infno: str, request: Any, reply: Any) -> None:
        if infno == "2207":
            self.settled_by(request.header.msgid, reply.output.setlinfo)
        elif infno == "2601" and reply.output.result.rev_rslt == "1":  # the 2207 had executed: undone now
            with self.lock:
                self.refunds[request.input.data.omsgid] = record(reply.output.setlinfo, "1", request.header.msgid)

    def settled_by(self, msgid: str, setlinfo: Any) -> None:
        settled = record(setlinfo, "0", msgid)
        with self.lock:
            before = self.acked.setdefault(msgid, settled)
        if before != settled:
            self.twice.append(f"msgid {msgid} answered {before} and {settled}")

    # -- the run

    def inject(self) -> None:
        """Each fault once the acknowledged settlements pass its share of the run."""
        n, total = len(self.plan), self.args.settlements
        try:
            for i, kind in enumerate(self.plan):
                while self.settled() < (i + 1) * total / (n + 1) and not self.done.is_set():
                    self.gateway.ensure_running()
                    time.sleep(0.01)
                if self.done.is_set():
                    return
                if kind in CLIENT_FAULTS:
                    with self.lock:
                        self.pending.append(kind)
                    continue
                self.gateway.ensure_running()
                if kind in DISK_FAULTS:
                    point = {"disk write": "write", "fsync": "fsync"}.get(kind) or self.rng.choice(
                        ["commit-before", "commit-after"])  # fmt: skip
                    self.gateway.fail_disk(point, i)
                elif kind == "supervisor":
                    self.gateway.kill_supervisor()
                else:
                    role = f"worker {self.rng.randint(1, 2)}" if kind == "worker" else "settlement core"
                    while not self.gateway.kill(role):
                        self.gateway.ensure_running()  # between a child's death and its fork again
                        time.sleep(0.05)
                self.injected[kind] += 1
            while self.pending and not self.done.is_set():
                self.gateway.ensure_running()
                time.sleep(0.01)
            while self.settled() < total and not self.done.is_set():
                self.gateway.ensure_running()
                time.sleep(0.01)
        except BaseException:
            self.failures.append("fault injection: " + traceback.format_exc())
        finally:
            self.done.set()

    def run(self) -> int:
        started = time.monotonic()
        self.gateway.start("first")
        first_day = platform_clock.today()
        store = Store(self.db)
        with store.read() as tx:
            before = tx.conn.scalar(select(func.count()).select_from(t.settlement))
        store.close()
        if before:
            self.gateway.stop()
            print(f"yibao chaos: the store already holds {before} settlements; give it an empty one", file=sys.stderr)
            return 2
        desks = [Desk(self, i) for i in range(self.args.desks)]
        self.file(desks[0])
        threads = [threading.Thread(target=d.run, daemon=True) for d in desks]
        injector = threading.Thread(target=self.inject, daemon=True)
        try:
            for thread in [*threads, injector]:
                thread.start()
            progress = 0.0
            while not self.done.wait(1.0):
                if time.monotonic() - progress > 30:
                    progress = time.monotonic()
                    print(f"  {self.settled()} settlements, {sum(self.injected.values())} faults, "
                          f"{time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
            for thread in [*threads, injector]:
                thread.join(RESOLVE_SECONDS + 60)
            if any(thread.is_alive() for thread in threads):
                self.failures.append("a desk hangs")
            self.gateway.ensure_running()
            checks = Checks(self, desks[0], first_day).run()
        finally:
            self.done.set()  # interrupted too: the injector, which restarts the gateway, stops first
            if injector.ident is not None:
                injector.join(RESOLVE_SECONDS)
            for desk in desks:
                desk.close()
            self.gateway.stop()
        return self.summary(checks, time.monotonic() - started)

    def file(self, desk: Desk) -> None:
        """A long-term cross-region filing to Beijing for every person insured in another city, so that their
        outpatient visits are paid by the funds of their insured place (docs/behaviour.md, "Filings")."""
        client, rng = desk.client, random.Random(self.args.seed)
        client.sign_in()
        for person in self.persons:
            for ins in person.insurances:
                if locality(self.institution.admdvs, ins.insuplc_admdvs) == "local":
                    continue
                client.query_person(certificate(person, rng))  # 1101 first: it names the insured place
                client.file_designation(fpb.DesignationData(
                    psn_no=person.psn_no, insutype=ins.insutype, biz_appy_type="08", fil_type=LONG_TERM_RESIDENCE,
                    mdtrtarea_admdvs=self.institution.admdvs))  # fmt: skip
                self.counts["cross-region filings (2505)"] += 1

    def summary(self, checks: dict[str, Any], seconds: float) -> int:
        failed = bool(self.failures)
        print(f"\nyibao chaos: {self.args.settlements} settlements, {self.args.faults} faults, seed {self.args.seed}, "
              f"{self.args.desks} desks, {seconds:.0f} s, store {self.db}")  # fmt: skip
        print("faults injected: " + ", ".join(f"{k} {v}" for k, v in sorted(self.injected.items())))
        print("yibao serve started: " + ", ".join(f"{k} {v}" for k, v in self.gateway.starts.items()))
        print("what the desks saw: " + ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())))
        for label, value, good in checks["lines"]:
            failed |= not good
            print(f"  {'ok  ' if good else 'FAIL'} {label}: {value}")
        for failure in self.failures[:10]:
            print(f"  FAIL {failure}")
        for detail in checks["details"][:20]:
            print(f"       {detail}")
        print("FAILED" if failed else "all zero, all equal")
        return 1 if failed else 0


class Desk:
    """A HIS desk on connections of its own, resolving what it does not know before it goes on."""

    def __init__(self, campaign: Campaign, index: int) -> None:
        self.c = campaign
        self.rng = random.Random(campaign.args.seed * 1000 + index)
        self.channels = [campaign.gateway.secure.channel(campaign.gateway.target) for _ in range(2)]
        make = [HisClient(ch, campaign.institution, sequence=campaign.sequence, timeout=CALL_TIMEOUT)
                for ch in self.channels]  # fmt: skip
        self.client, self.twin = make  # the twin's connection carries duplicates (maybe to the other worker)
        self.raw = self.client._call
        self.client._call = self.call  # type: ignore[method-assign]

    def close(self) -> None:
        for channel in self.channels:
            channel.close()

    def run(self) -> None:
        c = self.c
        while not c.done.is_set():
            try:
                if not self.client.signed_in:
                    self.client.sign_in()
                run_outpatient_visit(self.client, c.world, self.rng.choice(c.persons), self.rng)
                c.counts["visits settled"] += 1
            except HisRefused as e:
                c.counts[f"visits ended by {e.infno} {e.code or e.status_code.name}"] += 1
            except HisCheckFailed as e:
                c.failures.append(f"a receipt did not add up: {e}")
            except Exception:
                c.failures.append(traceback.format_exc())

    def call(self, infno: str, request: Any) -> Any:
        fault = self.c.take_fault() if infno == "2207" else None
        expected = ""
        if fault == "lost reply":
            expected = self.lose_reply(infno, request)
        elif fault == "duplicates":
            self.duplicates(infno, request)
        elif fault == "2601 race":
            return self.race(request)
        reply = self.resolve(infno, request, sent_before=fault in ("lost reply", "duplicates"))
        if expected and reply.output.setlinfo.setl_id != expected:
            self.c.twice.append(f"Y5203 showed {request.header.msgid} settled as {expected}, its resend answered "
                                f"{reply.output.setlinfo.setl_id}")  # fmt: skip
        return reply

    def resolve(self, infno: str, request: Any, sent_before: bool = False) -> Any:
        """Send until a definite answer: resent unchanged while the outcome is unknown, under a new msgid when
        told it was not carried out on its first send. `sent_before`: this msgid already went out once."""
        deadline, pause = time.monotonic() + RESOLVE_SECONDS, 0.05
        unknown = sent_before  # whether an earlier send of this msgid may have been carried out
        while True:
            try:
                reply = self.raw(infno, request)
            except HisRefused as e:
                if e.code in NOT_CARRIED_OUT and unknown:
                    # "this request was not carried out" says nothing of the earlier send, whose outcome stands
                    # (the text says so): resent unchanged, never under a new msgid.
                    self.c.counts[f"told {e.code} on a resend, resent unchanged"] += 1
                elif e.code in NOT_CARRIED_OUT:
                    self.c.counts[f"told {e.code}"] += 1
                    with self.c.lock:
                        self.c.told_not_done[request.header.msgid] = e.code
                    request = self.renew(request)
                elif e.code in UNKNOWN or (not e.code and e.status_code != grpc.StatusCode.OK):
                    self.c.counts[f"outcome unknown ({e.code or e.status_code.name}), resent"] += 1
                    unknown = True
                else:
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
                continue
            self.c.answered(infno, request, reply)
            return reply

    def renew(self, request: Any) -> Any:
        again = type(request)()
        again.CopyFrom(request)
        again.header.msgid = self.client.envelope.msgid(self.client.envelope.clock())
        return again

    def lose_reply(self, infno: str, request: Any) -> str:
        """Send with a deadline of a few ms: the reply, if any, is lost. Half the time Y5203 is asked first;
        returns the setl_id it showed ("" if none), which the resend must repeat."""
        try:
            self.client._rpc(infno)(request, timeout=self.rng.uniform(0.001, 0.02))
            self.c.counts["lost replies (answered in time, dropped)"] += 1
        except grpc.RpcError:
            self.c.counts["lost replies (deadline)"] += 1
        if self.rng.random() < 0.5:
            info = self.fate(request.header.msgid)
            self.c.counts[f"Y5203 after a lost reply: msg_stas {info.msginfo.msg_stas}"] += 1
            if info.msginfo.msg_stas == "1":
                return info.setlinfo.setl_id  # type: ignore[no-any-return]
        return ""

    def duplicates(self, infno: str, request: Any) -> None:
        """The same message four times at once over two connections: every settlement answered is one."""
        rpcs = [self.client._rpc(infno), self.twin._rpc(infno)] * 2
        futures = [rpc.future(request, timeout=CALL_TIMEOUT) for rpc in rpcs]
        setl_ids = set()
        for future in futures:
            try:
                setl_ids.add(future.result().output.setlinfo.setl_id)
            except grpc.RpcError as e:
                detail = error_detail(e)
                self.c.counts[f"duplicate answered {detail.code if detail else e.code().name}"] += 1
        if len(setl_ids) > 1:
            self.c.twice.append(f"msgid {request.header.msgid} sent four times settled as {sorted(setl_ids)}")

    def race(self, request: Any) -> Any:
        """A 2207 and, right behind it, a 2601 of it: exactly one of "executed, then undone" or "refused when it
        arrives" must happen. The 2207 is then resolved (resent unchanged) like any other."""
        msgid, psn_no = request.header.msgid, request.input.data.psn_no
        future = self.client._rpc("2207").future(request, timeout=CALL_TIMEOUT)
        time.sleep(self.rng.uniform(0, 0.03))
        data = rpb.ReversalData(psn_no=psn_no, omsgid=msgid, oinfno="2207")
        reversal = rpb.ReversalRequest(header=self.client._header("2601", psn_no), input=rpb.ReversalInput(data=data))
        try:
            result = self.resolve("2601", reversal).output.result.rev_rslt
            self.c.counts[f"2601 races: rev_rslt {result}"] += 1
        except HisRefused as e:
            self.c.counts[f"2601 races: 2601 refused {e.code}"] += 1
        with contextlib.suppress(grpc.RpcError):
            reply = future.result()
            if reply.header.infcode == 0:
                self.c.answered("2207", request, reply)
        info = self.fate(msgid)  # executed, then reversed: what it settled belongs in the HIS's ledger
        if info.msginfo.msg_stas in ("1", "3"):
            self.c.settled_by(msgid, info.setlinfo)
        return self.resolve("2207", request, sent_before=True)

    def fate(self, msgid: str) -> Any:
        """Y5203 of `msgid`, asked until answered."""
        data = rpb.MessageQueryData(omsgid=msgid)
        request = rpb.MessageQueryRequest(header=self.client._header("Y5203"), input=rpb.MessageQueryInput(data=data))
        return self.resolve("Y5203", request).output


class Checks:
    """The summary's figures, each with whether it is as it must be."""

    def __init__(self, campaign: Campaign, desk: Desk, first_day: date) -> None:
        self.c, self.desk, self.first_day = campaign, desk, first_day
        self.lines: list[tuple[str, Any, bool]] = []
        self.details: list[str] = []

    def check(self, label: str, value: Any, good: bool) -> None:
        self.lines.append((label, value, good))

    def run(self) -> dict[str, Any]:
        c = self.c
        if not self.desk.client.signed_in:
            self.desk.client.sign_in()
        store = Store(c.db)
        with store.read() as tx:
            rows = list(tx.conn.execute(select(t.settlement).where(t.settlement.c.fixmedins_code == HOSPITAL)))
            executions = tx.conn.execute(
                select(t.journal.c.msgid, func.count()).where(t.journal.c.infno == "2207", t.journal.c.outcome == "ok")
                .group_by(t.journal.c.msgid).having(func.count() > 1)
            ).all()  # fmt: skip
        store.close()
        his = [*c.acked.values(), *c.refunds.values()]  # the HIS's ledger: every record it was told of
        stored = {r.setl_id: r for r in rows}
        in_force = len(c.acked.keys() - c.refunds.keys())
        self.check("settlements acknowledged (in force)", in_force, in_force >= c.args.settlements)
        self.check("of them reversed by a racing 2601 (settlement and refund record kept)", len(c.refunds), True)
        lost = [r for r in his if r.setl_id not in stored]
        self.check("acknowledged but lost", len(lost), not lost)
        self.details += [f"lost: {r}" for r in lost]
        settles = [r for r in rows if r.kind == "settle"]
        per_batch = Counter((r.mdtrt_id, r.chrg_bchno) for r in settles if not r.reversed_by)
        per_msgid = Counter(r.msgid for r in settles)
        known = {r.setl_id for r in his}
        unknown = [r.setl_id for r in rows if r.setl_id not in known]
        twice = sum(n - 1 for n in per_batch.values()) + sum(n - 1 for n in per_msgid.values())
        twice += len(executions) + len(c.twice) + len(unknown)
        self.check("executed twice", twice, twice == 0)
        self.details += c.twice + [f"in the store, the HIS never told: {s}" for s in unknown]
        self.details += [f"msgid {m} executed {n} times" for m, n in executions]
        false = []
        for msgid, code in sorted(c.told_not_done.items()):
            stas = self.desk.fate(msgid).msginfo.msg_stas
            if stas not in ("0", "2"):
                false.append(f"{msgid} told {code}, Y5203 msg_stas {stas}")
        self.check(f"answered falsely (of {len(c.told_not_done)} told 'not carried out')", len(false), not false)
        self.details += false
        self.ledger(his, rows)
        self.clearing()
        return {"lines": self.lines, "details": self.details}

    def clearing(self) -> None:
        """Serve again with its clock past the month's end; the operator clears the month (Y3270): each statement
        must hold, per insured place, the HIS's cross-region records to the fen."""
        c, now = self.c, platform_clock.now()
        setlym = f"{now:%Y%m}"
        mine = self.cross_region()
        if c.args.keys or c.args.tls_cert:
            # signed calls or client certificates: the campaign holds no operator credential to clear with
            self.check("clearing not checked (--keys or --tls-cert, no operator credential); cross-region places",
                       len(mine), True)  # fmt: skip
            return
        c.gateway.stop()
        platform_clock.set_offset(platform_clock.offset_seconds() + past_month_end(now))  # serve reads it too
        c.gateway.start("with the clock past the month's end")
        operator = HisClient(self.desk.channels[0], c.world.institutions[OPERATOR], timeout=CALL_TIMEOUT)
        data = clpb.ClearData(setlym=setlym, mdtrtarea_admdvs=c.institution.admdvs)
        label = f"clearing {setlym} = HIS ledger (per insured place, records, medfee_sumamt / fund_pay_sumamt)"
        shown = "; ".join(f"{k}: {v[0]}, {v[1]:.2f} / {v[2]:.2f}" for k, v in sorted(mine.items())) or "none"
        try:
            operator.sign_in()
            stmts = operator.call("Y3270", clpb.ClearInput(data=data)).output.stmt
        except HisRefused as e:
            self.check(label, shown, False)
            self.details.append(f"Y3270 {setlym} refused: {e.code} {e.err_msg}")
            return
        cleared = {s.insuplc_admdvs: [int(s.setl_cnt), Decimal(s.medfee_sumamt), Decimal(s.fund_pay_sumamt)]
                   for s in stmts}  # fmt: skip
        agreed = all(s.agreed == "1" and {p.fund_pay_sumamt for p in s.party} == {s.fund_pay_sumamt} for s in stmts)
        self.check(label, shown, cleared == mine and agreed and len(stmts) == len(cleared))
        if cleared != mine:
            self.details.append(f"clearing: {cleared}")

    def cross_region(self) -> dict[str, list[Any]]:
        """insured place -> [records, medfee_sumamt, fund_pay_sumamt] of the HIS's cross-region records."""
        c, out = self.c, dict[str, list[Any]]()
        for msgid, settled in c.acked.items():
            place = insured_place(c.world, settled.psn_no, settled.insutype)
            if locality(c.institution.admdvs, place) == "local":
                continue
            for r in (settled, c.refunds.get(msgid)):
                if r is not None:
                    sums = out.setdefault(place, [0, Decimal(0), Decimal(0)])
                    sums[0], sums[1], sums[2] = sums[0] + 1, sums[1] + r.amounts[0], sums[2] + r.amounts[1]
        return out

    def ledger(self, his: list[Record], rows: list[Any]) -> None:
        mine = totals((r.insutype, r.amounts) for r in his)
        fen = ("medfee_sumamt_fen", "fund_pay_sumamt_fen", "acct_pay_fen", "psn_cash_pay_fen")
        ours = totals((r.insutype, tuple(Decimal(getattr(r, f)) / 100 for f in fen)) for r in rows)
        shown = "; ".join(f"{k}: {v[0]}, {' / '.join(f'{x:.2f}' for x in v[1:])}" for k, v in sorted(mine.items()))
        self.check(f"HIS ledger = store's sums (insutype: records, {' / '.join(FIELDS)})", shown, mine == ours)
        if mine != ours:
            self.details.append(f"store: {ours}")
        client = self.desk.client
        region = client.institution.admdvs
        days = {"stmt_begndate": f"{self.first_day}", "stmt_enddate": f"{platform_clock.today()}"}
        mismatched = []
        for insutype in sorted(mine.keys() | ours.keys()):
            v = mine.get(insutype, [0, *[Decimal(0)] * len(FIELDS)])
            data = rcpb.CheckTotalsData(
                insutype=insutype, clr_type="11", setl_optins=region, medfee_sumamt=f"{v[1]:.2f}",
                fund_pay_sumamt=f"{v[2]:.2f}", acct_pay=f"{v[3]:.2f}", fixmedins_setl_cnt=str(v[0]), **days,
            )  # fmt: skip
            request = rcpb.CheckTotalsRequest(header=client._header("3201"), input=rcpb.CheckTotalsInput(data=data))
            info = self.desk.resolve("3201", request).output.stmtinfo
            if info.stmt_rslt != "0":
                mismatched.append(f"3201 {insutype}: {info.stmt_rslt_dscr}")
        self.check("3201 totals (per insutype) that do not balance", len(mismatched), not mismatched)
        self.details += mismatched
        records = [
            rcpb.DetailRecord(setl_id=r.setl_id, mdtrt_id=r.mdtrt_id, msgid=r.msgid, insutype=r.insutype,
                              refd_setl_flag=r.flag, **dict(zip(FIELDS[:3], map(yuan, r.amounts), strict=False)))
            for r in his
        ]  # fmt: skip
        total = [sum((r.amounts[i] for r in his), Decimal(0)) for i in range(len(FIELDS))]
        data3202 = rcpb.CheckDetailsData(
            setl_optins=region, medfee_sumamt=f"{total[0]:.2f}", fund_pay_sumamt=f"{total[1]:.2f}",
            cash_payamt=f"{total[3]:.2f}", fixmedins_setl_cnt=str(len(his)), clr_type="11", **days,
        )  # fmt: skip
        request = rcpb.CheckDetailsRequest(header=client._header("3202"),
                                           input=rcpb.CheckDetailsInput(data=data3202, detail=records))  # fmt: skip
        out = self.desk.resolve("3202", request).output
        self.check("3202 records that differ", len(out.result), out.stmtinfo.stmt_rslt == "0" and not out.result)
        if out.stmtinfo.stmt_rslt != "0":
            self.details.append(f"3202: {out.stmtinfo.stmt_rslt_dscr}")
        self.details += [f"3202: {r.setl_id} {r.memo}" for r in out.result]


def yuan(amount: Decimal) -> str:
    return f"{amount:.2f}"


def totals(records: Any) -> dict[str, list[Any]]:
    """insutype -> [records, then the sum of each of FIELDS]."""
    out: dict[str, list[Any]] = {}
    for insutype, amounts in records:
        sums = out.setdefault(insutype, [0, *[Decimal(0)] * len(FIELDS)])
        sums[0] += 1
        for i, amount in enumerate(amounts):
            sums[i + 1] += amount
    return out


def run(args: argparse.Namespace) -> int:
    try:
        secure = security(args)
    except ValueError as e:  # a keys file's KeysFileError too
        print(f"yibao chaos: {e}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C: the gateway too
    workdir = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="yibao-chaos-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = args.db or f"sqlite:///{workdir / 'chaos.db'}"
    sqlite = db.startswith("sqlite")
    try:
        return Campaign(args, db, workdir, sqlite, secure).run()
    finally:
        if not args.keep and not args.dir:
            shutil.rmtree(workdir, ignore_errors=True)
        elif args.keep or args.dir:
            print(f"store and log kept in {workdir}")
