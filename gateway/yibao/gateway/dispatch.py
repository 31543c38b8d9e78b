"""One call through the gateway, independent of the transport (gRPC today, national JSON/HTTP next).

Order: envelope → institution type → (one write transaction:) sign_no → msgid seen before? →
claim msgid → handler → store reply → journal. The msgid claim commits with the business writes,
so a retry either finds the whole result or nothing; a concurrent duplicate waits on the claim
and replays the winner's reply. Refusals are journaled and remembered by msgid too.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from google.protobuf.message import DecodeError, Message
from sqlalchemy.exc import IntegrityError

from yibao import platform_clock
from yibao.call import CallContext
from yibao.domain.world import PHARMACY, World
from yibao.errors import Refusal
from yibao.gateway import gate, idempotency, peer_identity
from yibao.gateway.envelope import check_header
from yibao.gateway.idempotency import Answer, Call
from yibao.gateway.input_limits import check_input
from yibao.gateway.item_counts import check_item_count
from yibao.gateway.region_check import RegionCheck
from yibao.gateway.routes import Route
from yibao.gateway.signin import check_sign_no
from yibao.ids import new_id
from yibao.storage.store import Store, Tx
from yibao.storage.write_failures import CommitUncertain, is_write_failure
from yibao.timetext import compact_ms
from yibao.v1.envelope_pb2 import ErrorDetail, ReplyHeader

log = logging.getLogger("yibao.gateway")
UNKNOWN_REGION = "000000"


class Refused(Exception):
    """A call answered with a refusal; `detail` carries the national reply header."""

    def __init__(self, detail: ErrorDetail) -> None:
        super().__init__(detail.header.err_msg)
        self.detail = detail


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
    deadline: float | None = None  # the client's, time.perf_counter(): a call not started by then is not started


class _Attempt:
    """One call on its way through the transaction; `claimed` tells a refusal by the handler (remembered
    under the msgid) from one before the claim (journaled only)."""

    __slots__ = ("call", "claimed", "deadline", "digest", "region", "warnings")

    def __init__(self, call: Call, admission: Admission) -> None:
        self.call, self.digest, self.region = call, admission.digest, admission.region
        self.warnings, self.deadline = admission.warnings, admission.deadline
        self.claimed = False


class _NotStarted(Exception):
    """The client's deadline passed before the transaction began: nothing was written, nothing is journaled."""


class Gateway:
    def __init__(
        self, world: World, store: Store, routes: dict[str, Route], clock: Callable[[], datetime] = platform_clock.now
    ) -> None:
        self.world, self.store, self.routes, self.clock = world, store, routes, clock
        self.regions = RegionCheck(world, store)

    def handle_wire(self, infno: str, request: bytes, admission: Admission | None = None) -> tuple[bool, bytes]:
        """`handle` on serialized messages: (True, reply bytes) or (False, ErrorDetail bytes). `admission`: the
        checks before the transaction, when a gateway worker made them (adapters/yibao/adapters/core_link.py)."""
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
            peer_identity.check(h.fixmedins_code)  # mutual TLS: the certificate's institution only
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
            check_item_count(request.input)  # type: ignore[attr-defined]
            check_input(request.input)  # type: ignore[attr-defined]
            digest = idempotency.body_hash(route.infno, h.fixmedins_code, request)
            return Admission(received, started, region, tuple(warnings), digest, None, gate.deadline())
        except Refusal as r:
            detail = self._detail(r, region, received)
        except Exception:
            ref = new_id(region, received)
            log.exception("internal error, reference %s, infno %s msgid %s", ref, route.infno, h.msgid)
            detail = self._detail(Refusal("INTERNAL", ref=ref), region, received)
        return Admission(received, started, region, (), "", detail.SerializeToString())

    def execute(self, route: Route, request: Message, raw: bytes, admission: Admission) -> Answer:
        """The transaction: the reply, as a message and as sent (`raw`: the request as received, journaled as
        it came). Raises Refused."""
        call = Call(route, request, raw, admission.received, admission.started)
        if admission.refusal is not None:
            detail = ErrorDetail.FromString(admission.refusal)
            idempotency.record_refusal(self.store, call, detail, remember=False)
            raise Refused(detail)
        attempt = _Attempt(call, admission)
        try:
            answer = self._transact(attempt)
        except _NotStarted:  # the client gave up: no msgid claimed, no journal row, so Y5203 says "not arrived"
            raise Refused(self._detail(Refusal("CALL_DEADLINE_PASSED"), admission.region, admission.received)) from None
        except Refusal as r:
            detail = self._detail(r, admission.region, admission.received)
        except Exception as e:
            detail = self._detail(self._failure(e, call, admission.region), admission.region, admission.received)
            attempt.claimed = False  # a failure is not an answer to remember
        else:
            if isinstance(answer, ErrorDetail):  # a stored refusal, replayed
                raise Refused(answer)
            return answer
        try:
            idempotency.record_refusal(self.store, call, detail, remember=attempt.claimed)
        except Exception:  # journaling is not the answer: the refusal stays true (nothing of the call was kept)
            log.exception("the refusal of %s msgid %s could not be journaled", route.infno, call.msgid)
        raise Refused(detail)

    def _failure(self, error: Exception, call: Call, region: str) -> Refusal:
        """The refusal for a transaction that raised: written or not, and known or not (write_failures.py)."""
        if isinstance(error, CommitUncertain):
            log.error("%s msgid %s may or may not have been carried out: %s", call.route.infno, call.msgid, error)
            return Refusal("STORE_OUTCOME_UNKNOWN")
        if is_write_failure(error):  # raised inside the transaction, which was rolled back
            log.error("%s msgid %s was not carried out: the store failed: %s", call.route.infno, call.msgid, error)
            return Refusal("STORE_WRITE_FAILED")
        ref = new_id(region, call.received)
        log.exception("internal error, reference %s, infno %s msgid %s", ref, call.route.infno, call.msgid)
        return Refusal("INTERNAL", ref=ref)

    def _transact(self, attempt: _Attempt) -> Answer | ErrorDetail:
        """Run the call in one write transaction; a concurrent duplicate that won the claim is replayed."""
        try:
            return self.store.transact(functools.partial(self._carry_out, attempt))
        except IntegrityError:
            return self.store.transact(
                functools.partial(idempotency.replay_winner, call=attempt.call, digest=attempt.digest)
            )

    def _carry_out(self, attempt: _Attempt, tx: Tx) -> Answer | ErrorDetail:
        """sign_no → msgid seen before (replay) → the client's deadline → claim → handler → stored reply and journal."""
        call, route = attempt.call, attempt.call.route
        h = call.request.header  # type: ignore[attr-defined]
        institution = self.world.institutions[h.fixmedins_code]
        if route.infno != "9001":
            check_sign_no(tx, h.sign_no, institution.fixmedins_code)
        seen = tx.message(call.msgid)
        if seen is not None:
            return idempotency.replay(tx, call, seen, attempt.digest)
        if attempt.deadline is not None and time.perf_counter() >= attempt.deadline:
            raise _NotStarted  # after the replay: a resend of a call carried out gets its true answer
        idempotency.claim(tx, call, attempt.digest)
        attempt.claimed = True  # from here a refusal is the handler's, remembered under the msgid
        ctx = CallContext(route.infno, call.msgid, institution, h.insuplc_admdvs, call.received)
        output = route.handler(self.world, tx, ctx, call.request.input)  # type: ignore[attr-defined]
        header = self._header(attempt.region, call.received, warn="；".join(attempt.warnings))
        return idempotency.complete(tx, call, route.reply_cls(header=header, output=output))

    def _header(self, region: str, received: datetime, *, err: str = "", warn: str = "") -> ReplyHeader:
        return reply_header(self.clock, region, received, err=err, warn=warn)

    def _detail(self, r: Refusal, region: str, received: datetime) -> ErrorDetail:
        return refusal_detail(self.clock, r, region, received)
