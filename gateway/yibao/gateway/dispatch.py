"""One call through the gateway, independent of the transport (gRPC today, national JSON/HTTP next).

Order: envelope → institution type → (one write transaction:) sign_no → msgid seen before? →
claim msgid → handler → store reply → journal. The msgid claim commits with the business writes,
so a retry either finds the whole result or nothing; a concurrent duplicate waits on the claim
and replays the winner's reply. Refusals are journaled and remembered by msgid too.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from google.protobuf.message import DecodeError, Message
from sqlalchemy.exc import IntegrityError

from yibao.call import CallContext
from yibao.domain.world import PHARMACY, World
from yibao.errors import Refusal
from yibao.gateway.envelope import check_header
from yibao.gateway.input_limits import check_input
from yibao.gateway.journal_keys import journal_keys
from yibao.gateway.region_check import RegionCheck
from yibao.gateway.routes import Route
from yibao.gateway.signin import check_sign_no
from yibao.ids import new_id
from yibao.storage.schema import MSG_TOMBSTONE
from yibao.storage.store import Store, Tx
from yibao.timetext import compact_ms
from yibao.v1.envelope_pb2 import ErrorDetail, ReplyHeader

log = logging.getLogger("yibao.gateway")
UNKNOWN_REGION = "000000"


class Refused(Exception):
    """A call answered with a refusal; `detail` carries the national reply header."""

    def __init__(self, detail: ErrorDetail) -> None:
        super().__init__(detail.header.err_msg)
        self.detail = detail


def body_hash(infno: str, fixmedins_code: str, request: Message) -> str:
    """What makes two messages "the same body": transaction, institution and input.

    Volatile envelope fields (inf_time, sign_no, device info) are left out, so a HIS that rebuilds
    the envelope when it retries is still recognised as retrying.
    """
    payload = request.input.SerializeToString(deterministic=True)  # type: ignore[attr-defined]
    return hashlib.sha256(f"{infno}\0{fixmedins_code}\0".encode() + payload).hexdigest()


def reply_header(
    clock: Callable[[], datetime], region: str, received: datetime, *, err: str = "", warn: str = ""
) -> ReplyHeader:
    return ReplyHeader(
        infcode=-1 if err else 0,
        inf_refmsgid=new_id(region, received),
        refmsg_time=compact_ms(received),
        respond_time=compact_ms(clock()),
        err_msg=err,
        warn_msg=warn,
    )


def refusal_detail(clock: Callable[[], datetime], r: Refusal, region: str, received: datetime) -> ErrorDetail:
    return ErrorDetail(
        code=r.code,
        category=r.category.value,
        field=r.field,
        message_zh=r.message_zh,
        message_en=r.message_en,
        header=reply_header(clock, region, received, err=r.err_msg),
    )


class Admission(NamedTuple):
    """What the checks before the transaction found; plain data, so a gateway worker admits a call and the
    settlement core process executes it (a tuple: it pickles in C, a dataclass field by field in Python)."""

    received: datetime
    started: float  # time.perf_counter(): CLOCK_MONOTONIC, one clock for every process of the host
    region: str
    warnings: tuple[str, ...]
    digest: str
    refusal: bytes | None = None  # the ErrorDetail, when refused before the transaction


class Gateway:
    def __init__(
        self, world: World, store: Store, routes: dict[str, Route], clock: Callable[[], datetime] = datetime.now
    ) -> None:
        self.world, self.store, self.routes, self.clock = world, store, routes, clock
        self.regions = RegionCheck(world, store)

    def handle_wire(self, infno: str, request: bytes, admission: Admission | None = None) -> tuple[bool, bytes]:
        """`handle` on serialized messages: (True, reply bytes) or (False, ErrorDetail bytes). `admission`: the
        checks before the transaction, when a gateway worker made them (adapters/core_link.py)."""
        route = self.routes[infno]
        message = self.parse(route, request)
        if isinstance(message, ErrorDetail):
            return False, message.SerializeToString()
        try:
            return True, self.execute(route, message, request, admission or self.admit(route, message))[1]
        except Refused as r:
            return False, r.detail.SerializeToString()

    def parse(self, route: Route, request: bytes) -> Message | ErrorDetail:
        try:
            return route.request_cls.FromString(request)  # type: ignore[no-any-return]
        except DecodeError:
            kind = route.request_cls.DESCRIPTOR.full_name
            refusal = Refusal("ENV_FORMAT", "request", rule=f"请求不是合法的 {kind} 消息")
            return refusal_detail(self.clock, refusal, UNKNOWN_REGION, self.clock())

    def handle(self, route: Route, request: Message) -> Message:
        return self.execute(route, request, request.SerializeToString(), self.admit(route, request))[0]

    def admit(self, route: Route, request: Message) -> Admission:
        """The checks that need no write: envelope, institution type, region availability, input limits.
        A refusal here is journaled but not remembered under the msgid, so a resend is checked again."""
        received = self.clock()
        started = time.perf_counter()
        h = request.header  # type: ignore[attr-defined]
        region = UNKNOWN_REGION
        try:
            institution, warnings = check_header(h, route.infno, self.world, received)
            region = institution.admdvs
            if institution.fixmedins_type not in route.institution_types:
                pharmacy = institution.fixmedins_type == PHARMACY
                raise Refusal(
                    "AUTH_INSTITUTION_TYPE",
                    "header.fixmedins_code",
                    code=institution.fixmedins_code,
                    kind="定点零售药店" if pharmacy else "定点医疗机构",
                    kind_en="retail pharmacy" if pharmacy else "hospital",
                    infno=route.infno,
                )
            self.regions.check(route.infno, institution, h.insuplc_admdvs, received)
            check_input(request.input)  # type: ignore[attr-defined]
            digest = body_hash(route.infno, h.fixmedins_code, request)
            return Admission(received, started, region, tuple(warnings), digest)
        except Refusal as r:
            detail = self._detail(r, region, received)
        except Exception:
            ref = new_id(region, received)
            log.exception("internal error, reference %s, infno %s msgid %s", ref, route.infno, h.msgid)
            detail = self._detail(Refusal("INTERNAL", ref=ref), region, received)
        return Admission(received, started, region, (), "", detail.SerializeToString())

    def execute(self, route: Route, request: Message, raw: bytes, admission: Admission) -> tuple[Message, bytes]:
        """The transaction: the reply, as a message and as sent (`raw`: the request as received, journaled as
        it came). Raises Refused."""
        received, started, region = admission.received, admission.started, admission.region
        h = request.header  # type: ignore[attr-defined]
        if admission.refusal is not None:
            detail = ErrorDetail.FromString(admission.refusal)
            self._record_refusal(route, request, raw, detail, False, received, started)
            raise Refused(detail)
        remember = False  # whether a refusal is remembered under the msgid
        try:
            institution = self.world.institutions[h.fixmedins_code]
            warnings = admission.warnings
            ctx = CallContext(route.infno, h.msgid, institution, h.insuplc_admdvs, received)
            digest = admission.digest
            sign_no, msgid = h.sign_no, h.msgid

            def work(tx: Tx) -> tuple[Message, bytes] | ErrorDetail:
                nonlocal remember
                if route.infno != "9001":
                    check_sign_no(tx, sign_no, institution.fixmedins_code)
                seen = tx.message(msgid)
                if seen is not None:
                    return self._replay(tx, route, request, raw, seen, digest, received, started)
                remember = True
                tx.claim_message(
                    msgid=msgid,
                    infno=route.infno,
                    fixmedins_code=institution.fixmedins_code,
                    body_hash=digest,
                    reply=None,
                    refused=False,
                    created_at=compact_ms(received),
                )
                output = route.handler(self.world, tx, ctx, request.input)  # type: ignore[attr-defined]
                header = self._header(region, received, warn="；".join(warnings))
                reply = route.reply_cls(header=header, output=output)
                reply_bytes = reply.SerializeToString()
                tx.set_reply(msgid, reply_bytes, refused=False)
                self._journal(tx, route, request, raw, "ok", reply_bytes, received, started, reply_msg=reply)
                return reply, reply_bytes

            def replay(tx: Tx) -> tuple[Message, bytes] | ErrorDetail:
                seen = tx.message(msgid)
                if seen is None:
                    raise LookupError(f"msgid {msgid} conflicted but is not stored")
                return self._replay(tx, route, request, raw, seen, digest, received, started)

            try:
                replayed = self.store.transact(work)
            except IntegrityError:
                # A concurrent duplicate (another process, or PostgreSQL) committed the msgid first: its reply.
                replayed = self.store.transact(replay)
            if isinstance(replayed, ErrorDetail):
                raise Refused(replayed)
            return replayed
        except Refusal as r:
            detail = self._detail(r, region, received)
        except Refused:
            raise
        except Exception:
            ref = new_id(region, received)
            log.exception("internal error, reference %s, infno %s msgid %s", ref, route.infno, h.msgid)
            detail = self._detail(Refusal("INTERNAL", ref=ref), region, received)
            remember = False
        self._record_refusal(route, request, raw, detail, remember, received, started)
        raise Refused(detail)

    def _replay(
        self,
        tx: Tx,
        route: Route,
        request: Message,
        raw: bytes,
        seen: object,
        digest: str,
        received: datetime,
        started: float,
    ) -> tuple[Message, bytes] | ErrorDetail:
        """The stored answer to a retried msgid: the reply, or the refusal's detail."""
        h = request.header  # type: ignore[attr-defined]
        if seen.body_hash == MSG_TOMBSTONE:  # type: ignore[attr-defined]
            # reversed by 2601 before it arrived: refused whatever it carries (simulators/core/reversal.py)
            self._journal(tx, route, request, raw, "replayed", seen.reply, received, started)  # type: ignore[attr-defined]
            return ErrorDetail.FromString(seen.reply)  # type: ignore[attr-defined]
        if seen.body_hash != digest or seen.infno != route.infno:  # type: ignore[attr-defined]
            raise Refusal("ENV_MSGID_REUSED", "header.msgid", msgid=h.msgid)
        if seen.refused:  # type: ignore[attr-defined]
            self._journal(tx, route, request, raw, "replayed", seen.reply, received, started)  # type: ignore[attr-defined]
            return ErrorDetail.FromString(seen.reply)  # type: ignore[attr-defined]
        reply = route.reply_cls.FromString(seen.reply)  # type: ignore[attr-defined]
        self._journal(tx, route, request, raw, "replayed", seen.reply, received, started, reply_msg=reply)  # type: ignore[attr-defined]
        return reply, seen.reply  # type: ignore[attr-defined]

    def _header(self, region: str, received: datetime, *, err: str = "", warn: str = "") -> ReplyHeader:
        return reply_header(self.clock, region, received, err=err, warn=warn)

    def _detail(self, r: Refusal, region: str, received: datetime) -> ErrorDetail:
        return refusal_detail(self.clock, r, region, received)

    def _record_refusal(
        self,
        route: Route,
        request: Message,
        raw: bytes,
        detail: ErrorDetail,
        remember: bool,
        received: datetime,
        started: float,
    ) -> None:
        h = request.header  # type: ignore[attr-defined]
        blob = detail.SerializeToString()

        def remembered(tx: Tx) -> None:
            tx.claim_message(
                msgid=h.msgid,
                infno=route.infno,
                fixmedins_code=h.fixmedins_code,
                body_hash=body_hash(route.infno, h.fixmedins_code, request),
                reply=blob,
                refused=True,
                created_at=compact_ms(received),
            )
            journaled(tx)

        def journaled(tx: Tx) -> None:
            self._journal(tx, route, request, raw, "refused", blob, received, started, detail)

        try:
            self.store.transact(remembered if remember else journaled)
        except IntegrityError:  # a concurrent duplicate remembered it first; journal only
            self.store.transact(journaled)

    @staticmethod
    def _journal(
        tx: Tx,
        route: Route,
        request: Message,
        raw: bytes,
        outcome: str,
        reply: bytes,
        received: datetime,
        started: float,
        detail: ErrorDetail | None = None,
        reply_msg: Message | None = None,
    ) -> None:
        h = request.header  # type: ignore[attr-defined]
        tx.journal(
            **journal_keys(request, reply_msg),
            received_at=compact_ms(received),
            infno=route.infno,
            msgid=h.msgid[:40],
            fixmedins_code=h.fixmedins_code[:30],
            outcome=outcome,
            err_code=detail.code if detail else "",
            err_msg=detail.header.err_msg if detail else "",
            duration_us=int((time.perf_counter() - started) * 1e6),
            request=raw,
            reply=reply,
        )
