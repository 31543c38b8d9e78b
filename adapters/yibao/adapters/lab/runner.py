"""The scripted HIS of the lab's self-test (docs/lab.md, "Self-test"): the simulated hospital and pharmacy
(yibao.simulators.his) work through a case suite's cards, unattended, over gRPC or over the national JSON/HTTP entry,
as a vendor's scripted HIS would. The verdicts come afterwards from the session's transcript (verdicts.py), never
from what the runner saw.

`behaviour` turns the runner into a deliberately faulty HIS, to show that the verdicts catch what they should:

    new-msgid-resend       a resend (after a timeout) goes out under a new msgid instead of the same one, and a call
                           with an uncertain outcome (no reply, a lost reply, a timeout) is sent again at once under a
                           new msgid instead of being resolved as the card says

A well-behaved terminal meets an uncertain outcome as docs/behaviour.md "Uncertain outcomes" says: it leaves the
call unresolved and goes on with the card, whose next steps resolve it (query_message: Y5203 by msgid; resend:
the same msgid; reverse: 2601).
    settle-before-presettle 2207 is sent before 2206
    double-cancel          a cancellation (2208/2103) is sent twice
    skip-1101              no 1101: the HIS guesses insuplc_admdvs as its own region
    no-catalogue-code      the last item of every 2204 goes out without its catalogue code (med_list_codg empty)
    ignore-maintenance     a call refused REGION_MAINTENANCE / REGION_UNREACHABLE is taken as done: the HIS carries on
                           with the visit (settles across regions anyway) instead of sending the refused message again
                           once the insured place is back

After GATEWAY_BUSY a well-behaved terminal waits the retry time the refusal names before the card's resend.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import secrets
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import grpc
from google.protobuf.message import Message

from yibao.adapters.http import national_json as nj
from yibao.adapters.lab.cases import QUERIES, Case, CaseSuite, Item, Step
from yibao.domain.world import PHARMACY, Institution, World
from yibao.errors import Refusal
from yibao.request_signing import ClientKey, signed_values
from yibao.simulators.his.client import HisClient, HisRefused
from yibao.simulators.his.desk import DEPT, DOCTORS, WARD, certificate_query
from yibao.simulators.his.envelope import Clock, MsgidSequence
from yibao.simulators.his.pharmacy_client import PharmacyClient
from yibao.simulators.his.signing import signing_channel
from yibao.simulators.his.tls_client import ClientTls, open_channel
from yibao.v1 import filing_pb2 as fpb
from yibao.v1 import inpatient_pb2 as ipb
from yibao.v1 import outpatient_pb2 as opb
from yibao.v1 import pharmacy_pb2 as rpb
from yibao.v1 import query_pb2 as qpb
from yibao.v1 import reconciliation_pb2 as cpb
from yibao.v1 import reversal_pb2 as vpb

BEHAVIOURS = (
    "new-msgid-resend",
    "settle-before-presettle",
    "double-cancel",
    "skip-1101",
    "no-catalogue-code",
    "ignore-maintenance",
)
REGION_DOWN = ("REGION_MAINTENANCE", "REGION_UNREACHABLE")
_RETRY_MS = re.compile(r"([0-9]+) ?(?:毫秒|ms)")
DISPATCH = "/fsi/api/callFsiService/callService"
_CODE = re.compile(r"^\[([A-Z0-9_]+)\] ")
_FIELD = re.compile(r"（字段 ([^）]+)）$")


class _Recording:
    """Keeps the last request sent, so a resend can send the same bytes again, and every settlement record the
    terminal was told of: its books, which it reconciles with 3201/3202."""

    last: tuple[str, Message] | None = None
    books: dict[str, Any]  # setl_id -> setlinfo, in the order the terminal learnt them

    def _call(self, infno: str, request: Message) -> Any:
        self.last = (infno, request)
        reply = super()._call(infno, request)  # type: ignore[misc]
        if not hasattr(self, "books"):
            self.books = {}
        for info in _setlinfos(infno, reply.output):
            self.books.setdefault(info.setl_id, info)
        return reply


# Replies that carry settlement records: a settlement, a cancellation (its refund record), a partial refund (the
# refund record and the new settlement), an answer to Y5203 about a settlement, a 2601 reversal of one (its refund
# record).
_SETTLING = ("2207", "2208", "2102", "2103", "2304", "2305", "Y5203", "2601")


def _setlinfos(infno: str, output: Any) -> list[Any]:
    if infno == "Y2208":
        return [o.setlinfo for o in (output.revsetl, output.newsetl) if o.setlinfo.setl_id]
    if infno in _SETTLING and output.HasField("setlinfo") and output.setlinfo.setl_id:
        return [output.setlinfo]
    return []


class _OverHttp:
    """HisClient's transport replaced by the national JSON envelope over HTTP POST (docs/http.md): over HTTPS when
    `http_base` says https (`ssl_context`: the CA to trust and the client certificate), each call signed with its
    institution's key when `signing_keys` has one (docs/security.md, the same headers as gRPC's metadata)."""

    http_base = ""
    ssl_context: ssl.SSLContext | None = None
    signing_keys: Mapping[str, ClientKey] = {}
    _conn: http.client.HTTPConnection | None = None
    latencies: Any

    def _call(self, infno: str, request: Message) -> Any:
        h = request.header  # type: ignore[attr-defined]
        body: dict[str, Any] = {name: getattr(h, name) or None for name in nj.HEADER_FIELDS}
        body["input"] = json.loads(nj.encode_message(request.input))  # type: ignore[attr-defined]
        try:
            data = json.dumps(body, ensure_ascii=False).encode()
            status, raw = self._post(data, self._signed(infno, h.fixmedins_code, data))
        except (OSError, http.client.HTTPException) as e:  # no reply: timed out, or the connection went
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            raise HisRefused(infno, "", "", f"no reply: {e!r}", grpc.StatusCode.DEADLINE_EXCEEDED) from None
        try:
            reply_json = nj.parse_body(raw)  # numbers as their exact decimal text, never a float
        except (ValueError, Refusal):
            raise HisRefused(infno, "", "", f"HTTP {status}: {raw[:200]!r}", grpc.StatusCode.UNKNOWN) from None
        err = reply_json.get("err_msg") or ""
        if reply_json.get("infcode") != 0:
            code = _CODE.match(err)
            where = _FIELD.search(err)
            raise HisRefused(
                infno, code.group(1) if code else "", where.group(1) if where else "", err, grpc.StatusCode.UNKNOWN
            )
        from yibao.transactions import transactions

        reply = transactions()[infno].reply_cls()
        head = reply.header  # type: ignore[attr-defined]
        head.infcode = 0
        for name in ("inf_refmsgid", "refmsg_time", "respond_time", "warn_msg"):
            setattr(head, name, reply_json.get(name) or "")
        if reply_json.get("output") is not None:
            nj.fill(reply.output, reply_json["output"], "output", [])  # type: ignore[attr-defined]
        return reply

    def _signed(self, infno: str, fixmedins_code: str, data: bytes) -> dict[str, str]:
        """The signature headers of a body as posted (none for an institution without a key). The timestamp is the
        machine's own clock, not the lab's: the gateway checks it against the server's clock (docs/lab.md)."""
        key = self.signing_keys.get(fixmedins_code)
        if key is None:
            return {}
        return signed_values(key, infno=infno, fixmedins_code=fixmedins_code, body=data, unix_time=int(time.time()),
                             nonce=secrets.token_hex(16))  # fmt: skip

    def _post(self, data: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        url = urlsplit(self.http_base)
        timeout = getattr(self, "timeout", 30.0)
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._connect(url.hostname or "127.0.0.1", url.port, url.scheme == "https", timeout)
            self._conn.timeout = timeout
            if self._conn.sock is not None:
                self._conn.sock.settimeout(timeout)
            try:
                self._conn.request("POST", url.path.rstrip("/") + DISPATCH, data,
                                   {"Content-Type": "application/json;charset=UTF-8", **(headers or {})})  # fmt: skip
                response = self._conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):  # a kept-alive connection the server closed
                self._conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connect(self, host: str, port: int | None, https: bool, timeout: float) -> http.client.HTTPConnection:
        if https:
            return http.client.HTTPSConnection(host, port or 443, timeout=timeout, context=self.ssl_context)
        return http.client.HTTPConnection(host, port or 80, timeout=timeout)


class GrpcHospital(_Recording, HisClient):
    pass


class GrpcPharmacy(_Recording, PharmacyClient):
    pass


class HttpHospital(_Recording, _OverHttp, HisClient):
    pass


class HttpPharmacy(_Recording, _OverHttp, PharmacyClient):
    pass


def terminal(
    institution: Institution,
    *,
    via: str,
    clock: Clock,
    target: str = "",
    http_base: str = "",
    sequence: MsgidSequence | None = None,
    tls: ClientTls | None = None,
    ssl_context: ssl.SSLContext | None = None,
    keys: Mapping[str, ClientKey] | None = None,
) -> HisClient:
    """The institution's terminal: a hospital's HIS or a pharmacy's till, over gRPC (`target`; over TLS with `tls`)
    or HTTP (`http_base`; https with `ssl_context`), signing its calls with `keys` (docs/security.md), as
    `yibao simulate` does."""
    pharmacy = institution.fixmedins_type == PHARMACY
    if via == "grpc":
        channel = signing_channel(open_channel(target, tls), keys)
        cls: type[HisClient] = GrpcPharmacy if pharmacy else GrpcHospital
        return cls(channel, institution, clock=clock, sequence=sequence)
    if via != "http":
        raise ValueError(f"via is grpc or http, not {via!r}")
    http_cls: type[HisClient] = HttpPharmacy if pharmacy else HttpHospital
    client = http_cls(None, institution, clock=clock, sequence=sequence)  # type: ignore[arg-type]
    client.http_base = http_base  # type: ignore[attr-defined]
    client.ssl_context, client.signing_keys = ssl_context, dict(keys or {})  # type: ignore[attr-defined]
    return client


@dataclass
class CaseRun:
    """What the runner saw of one case (informative: the verdicts are the transcript's)."""

    case: str
    completed: bool = True
    problem: str = ""
    refusals: list[str] = field(default_factory=list)


class _Visit:
    """What the terminal keeps of one case's visit or sale while it works through the steps."""

    def __init__(self, case: Case, key: str) -> None:
        self.case, self.key = case, key
        self.psn_no, self.insutype = case.person, case.insutype
        self.cert_type, self.cert_no = case.certificate, ""
        self.mdtrt_id = ""
        self.begntime = ""
        self.batches: dict[str, tuple[str, tuple[Item, ...]]] = {}  # label -> (chrg_bchno, items)
        self.settled: dict[str, tuple[str, str]] = {}  # label -> (setl_id, mdtrt_id)
        self.presettled: dict[str, opb.SettleData] = {}
        self.sale: tuple[rpb.DrugInfo, list[rpb.DrugDetail]] | None = None
        self.fees = 0
        self.fee_numbers: dict[str, list[tuple[str, str]]] = {}  # batch label -> (feedetl_sn, code) as sent
        self.business: tuple[str, Message] | None = None  # the last message that was not a query: what a resend repeats
        self.uncertain: tuple[Step, str, Message] | None = None  # a call whose outcome the terminal does not know
        self.stay_fees: list[tuple[str, str]] = []  # a stay's unsettled items: (feedetl_sn, det_item_fee_sumamt)
        self.discharged = False
        self.stay_settled: list[tuple[str, list[tuple[str, str]]]] = []  # (setl_id, the items it covered), in order
        self.stay_pre: ipb.InpatientSettleData | None = None
        self.filing = ""  # trt_dcla_detl_sn of the case's latest cross-region filing
        self.region_down = False  # the last business message was refused: the insured place is down
        self.retry_after = 0.0  # seconds the last refusal (GATEWAY_BUSY) asks the terminal to wait before resending


class CaseRunner:
    """Runs the cases of a suite at one terminal, in order, as a clerk following the cards would."""

    def __init__(
        self,
        client: HisClient,
        world: World,
        behaviour: frozenset[str] = frozenset(),
        lab_clock: LabClockSetter | None = None,
        lab_prior: PriorLookup | None = None,
        lab_clear: LabClearing | None = None,
    ) -> None:
        unknown = set(behaviour) - set(BEHAVIOURS)
        if unknown:
            raise ValueError(f"unknown behaviour {sorted(unknown)[0]!r}; known: {', '.join(BEHAVIOURS)}")
        self.client, self.world, self.behaviour = client, world, behaviour
        self.lab_clock, self.lab_prior, self.lab_clear = lab_clock, lab_prior, lab_clear
        self._steps: dict[str, Callable[[_Visit, Step], None]] = {
            "sign_in": lambda v, s: self.client.sign_in() and None,
            "sign_out": self._sign_out,
            "identify": self._identify,
            "register": self._register,
            "cancel_registration": self._cancel_registration,
            "visit_info": self._visit_info,
            "upload_fees": self._upload_fees,
            "cancel_fees": self._cancel_fees,
            "pre_settle": self._pre_settle,
            "settle": self._settle,
            "cancel_settlement": self._cancel_settlement,
            "cancel_prior": self._cancel_prior,
            "pre_settle_sale": self._sale,
            "settle_sale": self._sale,
            "cancel_sale": self._cancel_sale,
            "admit": self._admit,
            "upload_stay_fees": self._upload_stay_fees,
            "discharge": self._discharge,
            "pre_settle_stay": self._pre_settle_stay,
            "settle_stay": self._settle_stay,
            "cancel_stay_settlement": self._cancel_stay_settlement,
            "query_settlement": self._query,
            "query_message": self._query_message,
            "reverse": self._reverse,
            "resend": self._resend,
            "clock": self._clock,
            "clear": self._clear,
            "file_chronic": self._file_chronic,
            "file_designation": self._file_designation,
            "change_filing": self._change_filing,
            "revoke_filing": self._revoke_filing,
            "review_commitment": self._review_commitment,
            "query_filings": lambda v, s: self.client.query_designations(v.psn_no) and None,
            "refund_items": self._refund_items,
            "reconcile_totals": self._reconcile_totals,
            "reconcile_details": self._reconcile_details,
        }

    def run_suite(self, suite: CaseSuite) -> list[CaseRun]:
        if not self.client.signed_in:
            self.client.sign_in()
        return [self.run_case(case) for case in suite.cases]

    def run_case(self, case: Case) -> CaseRun:
        run = CaseRun(case.id)
        visit = _Visit(case, self.client.next_ipt_otp_no()[2:] if self.client.signed_in else case.id)
        for n, step in enumerate(case.steps):
            if step.do == "resend" and visit.region_down and "ignore-maintenance" in self.behaviour:
                continue  # the fault: the refusal taken as done, the refused message never sent again
            timeout = self.client.timeout
            if step.fault is not None and step.fault.kind == "reply-delayed":
                self.client.timeout = step.fault.deadline  # the card: how long this terminal waits for the reply
            try:
                if self._step(run, visit, n, step):
                    break
            finally:
                self.client.timeout = timeout
                if step.do not in QUERIES:
                    self._remember(visit, step)
        return run

    def _step(self, run: CaseRun, visit: _Visit, n: int, step: Step) -> bool:
        """One step at the terminal; True when the case cannot go on."""
        if not step.sends:
            try:
                self._steps[step.do](visit, step)
            except LabClockError as e:
                run.completed, run.problem = False, f"step {n} {step.do}: {e}"
                return True
            return False
        try:
            self._steps[step.do](visit, step)
        except HisRefused as r:
            run.refusals.append(f"step {n} {step.do}: {r.code or r.err_msg}")
            visit.region_down = r.code in REGION_DOWN
            if r.code == "GATEWAY_BUSY":
                wait = _RETRY_MS.search(r.err_msg)
                visit.retry_after = int(wait.group(1)) / 1000 if wait else 0.5
            if r.code and r.code == step.refused:
                return False  # the card expects it: the clerk reads err_msg and goes on as the card says
            if _uncertain(r):  # no reply, or one saying the outcome is unknown: the card's next steps resolve it
                self._remember(visit, step)
                last = getattr(self.client, "last", None)
                if last is not None:
                    visit.uncertain = (step, *last)
                if "new-msgid-resend" in self.behaviour:  # the fault: the business again under a new msgid
                    with contextlib.suppress(HisRefused):
                        self._again_new_msgid(visit)
                return False
            run.completed, run.problem = False, f"step {n} {step.do} refused: {r.err_msg}"
            return True
        if step.refused and not (step.do == "pre_settle" and "settle-before-presettle" in self.behaviour):
            run.completed, run.problem = False, f"step {n} {step.do} was accepted, the card expects {step.refused}"
            return True
        return False

    def _remember(self, v: _Visit, step: Step) -> None:
        last = getattr(self.client, "last", None)
        if last is not None and step.do != "resend":
            v.business = last

    def _again_new_msgid(self, v: _Visit) -> Any:
        assert v.business is not None
        infno, request = v.business
        again = type(request)()
        again.CopyFrom(request)
        h = again.header  # type: ignore[attr-defined]
        h.msgid = self.client.envelope.msgid(self.client.envelope.clock())
        h.inf_time = self.client.now_text()
        return self.client._call(infno, again)

    # ---- the steps

    def _clock(self, v: _Visit, step: Step) -> None:
        """The lab moves the session's clock (not the terminal: the operator API), and the terminal's clock follows,
        as a clerk resets the HIS's date when the lab says so."""
        if self.lab_clock is None:
            raise LabClockError("the card moves the lab clock, and this runner has no lab to ask")
        body = {k: v for k, v in (("set", step.clock_set), ("advance", step.clock_advance)) if v}
        now = self.lab_clock(body)
        follow = self.client.envelope.clock
        if isinstance(follow, LabClockFollower):
            follow.move_to(now)

    def _clear(self, v: _Visit, step: Step) -> None:
        """The lab, as its sandbox's operator, clears the card's month across regions (Y3270 through the operator
        API, never as the institution under test): a later refund of that month's settlement is then a refund after
        clearing."""
        if self.lab_clear is None:
            raise LabClockError("the card clears a month, and this runner has no lab to ask")
        self.lab_clear(step.option("month"))

    def _sign_out(self, v: _Visit, step: Step) -> None:
        """9002, as from another terminal sharing the sign-in: this terminal still holds the sign_no (and meets
        AUTH_SIGNED_OUT with it, as the card wants)."""
        sign_no = self.client.envelope.sign_no
        self.client.sign_out()
        self.client.envelope.sign_no = sign_no

    def _identify(self, v: _Visit, step: Step) -> None:
        person = self.world.persons[v.psn_no]
        v.cert_type = step.certificate or v.case.certificate
        query = certificate_query(person, v.cert_type)
        v.cert_no = query.mdtrt_cert_no
        if "skip-1101" in self.behaviour:  # the fault: no 1101, insuplc_admdvs guessed as the HIS's own region
            self.client._insured_places[v.psn_no] = {v.insutype: self.client.institution.admdvs}
            return
        self.client.query_person(query)

    def _register(self, v: _Visit, step: Step) -> None:
        v.begntime = self.client.now_text()
        name = DOCTORS[0][0]
        data = opb.RegisterData(
            psn_no=v.psn_no,
            insutype=v.insutype,
            begntime=v.begntime,
            mdtrt_cert_type=v.cert_type,
            mdtrt_cert_no=v.cert_no,
            ipt_otp_no=f"MZ{v.key}",
            atddr_no=self._doctor(),
            dr_name=name,
            dept_code=DEPT[0],
            dept_name=DEPT[1],
            caty=DEPT[0],
        )
        v.mdtrt_id = self.client.register(data).output.data.mdtrt_id

    def _cancel_registration(self, v: _Visit, step: Step) -> None:
        data = opb.CancelRegistrationData(psn_no=v.psn_no, mdtrt_id=v.mdtrt_id, ipt_otp_no=f"MZ{v.key}")
        self.client.cancel_registration(data)

    def _visit_info(self, v: _Visit, step: Step) -> None:
        code, name = v.case.diagnosis
        info = opb.MdtrtInfo(
            mdtrt_id=v.mdtrt_id,
            psn_no=v.psn_no,
            med_type=v.case.med_type,
            begntime=v.begntime,
            main_cond_dscr=v.case.title[:100],
            dise_codg=code if v.case.med_type == "14" else "",  # a chronic disease: the filed disease's code
        )
        dise = opb.DiseInfo(
            diag_type="1",
            diag_srt_no="1",
            diag_code=code,
            diag_name=name,
            diag_dept=DEPT[0],
            dise_dor_no=self._doctor(),
            dise_dor_name=DOCTORS[0][0],
            diag_time=v.begntime,
            vali_flag="1",
            maindiag_flag="1",
        )
        self.client.upload_visit_info(info, [dise])

    def _upload_fees(self, v: _Visit, step: Step) -> None:
        chrg_bchno = f"SF{v.key}{step.batch}"
        when = self.client.now_text()
        details = []
        for item in step.items:
            v.fees += 1
            details.append(
                opb.FeeDetail(
                    feedetl_sn=f"MX{v.key}{v.fees:03d}",
                    mdtrt_id=v.mdtrt_id,
                    psn_no=v.psn_no,
                    chrg_bchno=chrg_bchno,
                    dise_codg=v.case.diagnosis[0] if v.case.med_type == "14" else "",  # chronic: the disease
                    rx_circ_flag="0",
                    fee_ocur_time=when,
                    med_list_codg=item.code,
                    medins_list_codg=f"HIS-{item.code}",
                    det_item_fee_sumamt=f"{item.total:.2f}",
                    cnt=item.cnt,
                    pric=item.pric,
                    bilg_dept_codg=DEPT[0],
                    bilg_dept_name=DEPT[1],
                    bilg_dr_codg=self._doctor(),
                    bilg_dr_name=DOCTORS[0][0],
                    hosp_appr_flag="0",
                )
            )
        if "no-catalogue-code" in self.behaviour:  # the fault: an item the HIS could not map, sent without its code
            details[-1].med_list_codg = ""
        self.client.upload_fees(details)
        v.batches[step.batch] = (chrg_bchno, step.items)
        v.fee_numbers[step.batch] = [(d.feedetl_sn, i.code) for d, i in zip(details, step.items, strict=True)]

    def _cancel_fees(self, v: _Visit, step: Step) -> None:
        chrg_bchno = v.batches[step.batch][0]
        self.client.cancel_fees(opb.CancelFeeDetailsData(mdtrt_id=v.mdtrt_id, chrg_bchno=chrg_bchno, psn_no=v.psn_no))
        del v.batches[step.batch]

    def _settle_data(self, v: _Visit, label: str) -> opb.SettleData:
        chrg_bchno, items = v.batches[label]
        total = sum((i.total for i in items), start=type(items[0].total)("0.00"))
        account = "1" if v.insutype == "310" and v.case.use_account else "0"
        return opb.SettleData(
            psn_no=v.psn_no,
            mdtrt_cert_type=v.cert_type,
            mdtrt_cert_no=v.cert_no,
            med_type=v.case.med_type,
            medfee_sumamt=f"{total:.2f}",
            psn_setlway="01",
            mdtrt_id=v.mdtrt_id,
            chrg_bchno=chrg_bchno,
            acct_used_flag=account,
            insutype=v.insutype,
        )

    def _pre_settle(self, v: _Visit, step: Step) -> None:
        if "settle-before-presettle" in self.behaviour:
            return  # the fault: sent after 2207, in _settle
        self._presettled(v, step.batch, self.client.pre_settle(self._settle_data(v, step.batch)).output.setlinfo)

    def _presettled(self, v: _Visit, batch: str, pre: Any) -> None:
        """The settlement to send, with the pre-settlement's figures."""
        data = self._settle_data(v, batch)
        data.fulamt_ownpay_amt, data.overlmt_selfpay = pre.fulamt_ownpay_amt, pre.overlmt_selfpay
        data.preselfpay_amt, data.inscp_scp_amt = pre.preselfpay_amt, pre.inscp_scp_amt
        v.presettled[batch] = data

    def _settle(self, v: _Visit, step: Step) -> None:
        data = v.presettled.get(step.batch) or self._settle_data(v, step.batch)
        data.invono = f"FP{v.key}{step.batch}"
        reply = self.client.settle(data)
        v.settled[step.batch] = (reply.output.setlinfo.setl_id, v.mdtrt_id)
        if "settle-before-presettle" in self.behaviour:
            with contextlib.suppress(HisRefused):
                self.client.pre_settle(self._settle_data(v, step.batch))

    def _cancel_settlement(self, v: _Visit, step: Step) -> None:
        setl_id, mdtrt_id = v.settled[step.batch]
        data = opb.CancelSettlementData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=v.psn_no, refd_rea="01")
        self.client.cancel_settlement(data)
        if "double-cancel" in self.behaviour:
            with contextlib.suppress(HisRefused):
                self.client.cancel_settlement(data)

    def _cancel_prior(self, v: _Visit, step: Step) -> None:
        """2208 of the settlement the suite's state made before the session for this case: its ids are in the HIS's
        own records, here the session's `prior_settlements`."""
        if self.lab_prior is None:
            raise LabClockError("the card cancels a prior settlement, and this runner has no lab to ask its ids")
        setl_id, mdtrt_id = self.lab_prior(v.case.id)
        data = opb.CancelSettlementData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=v.psn_no, refd_rea="01")
        self.client.cancel_settlement(data)
        if "double-cancel" in self.behaviour:
            with contextlib.suppress(HisRefused):
                self.client.cancel_settlement(data)

    def _sale(self, v: _Visit, step: Step) -> None:
        if v.sale is None or step.do == "pre_settle_sale":
            now = self.client.now_text()
            sale_no = f"XS{v.key}"
            details = [
                rpb.DrugDetail(
                    feedetl_sn=f"{sale_no}{n:02d}",
                    rx_circ_flag="0",
                    fee_ocur_time=now,
                    med_list_codg=i.code,
                    medins_list_codg=f"POS-{i.code}",
                    det_item_fee_sumamt=f"{i.total:.2f}",
                    cnt=i.cnt,
                    pric=i.pric,
                )
                for n, i in enumerate(step.items)
            ]
            total = sum((i.total for i in step.items), start=type(step.items[0].total)("0.00"))
            account = "1" if v.insutype == "310" and v.case.use_account else "0"
            info = rpb.DrugInfo(
                psn_no=v.psn_no,
                mdtrt_cert_type=v.cert_type,
                mdtrt_cert_no=v.cert_no,
                begntime=now,
                medfee_sumamt=f"{total:.2f}",
                insutype=v.insutype,
                acct_used_flag=account,
                med_type=v.case.med_type,
            )
            v.sale = (info, details)
        info, details = v.sale
        pharmacy = self.client
        assert isinstance(pharmacy, PharmacyClient)
        if step.do == "pre_settle_sale":
            pharmacy.pre_settle_sale(info, details)
            return
        info.invono = f"FP{v.key}"
        reply = pharmacy.settle_sale(info, details)
        v.settled["sale"] = (reply.output.setlinfo.setl_id, reply.output.setlinfo.mdtrt_id)

    def _cancel_sale(self, v: _Visit, step: Step) -> None:
        setl_id, mdtrt_id = v.settled["sale"]
        pharmacy = self.client
        assert isinstance(pharmacy, PharmacyClient)
        data = rpb.PharmacyCancelData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=v.psn_no, refd_rea="01")
        pharmacy.cancel_sale(data)
        if "double-cancel" in self.behaviour:
            with contextlib.suppress(HisRefused):
                pharmacy.cancel_sale(data)

    # ---- a stay: 2401, 2301, 2402, 2303, 2304, 2305

    def _admit(self, v: _Visit, step: Step) -> None:
        v.begntime = self.client.now_text()
        code, name = v.case.diagnosis
        info = ipb.AdmissionInfo(
            psn_no=v.psn_no,
            insutype=v.insutype,
            begntime=v.begntime,
            mdtrt_cert_type=v.cert_type,
            mdtrt_cert_no=v.cert_no,
            med_type=v.case.med_type,
            ipt_no=f"ZY{v.key}",
            medrcdno=f"BA{v.key}",
            atddr_no=self._doctor(),
            chfpdr_name=DOCTORS[0][0],
            adm_diag_dscr=v.case.title[:100],
            adm_dept_codg=WARD[0],
            adm_dept_name=WARD[1],
            adm_bed="1床",
            dscg_maindiag_code=code,
            dscg_maindiag_name=name,
            main_cond_dscr=v.case.title[:100],
        )
        dise = ipb.InpatientDiseInfo(
            psn_no=v.psn_no,
            diag_type="1",
            maindiag_flag="1",
            diag_srt_no="1",
            diag_code=code,
            diag_name=name,
            diag_dept=WARD[0],
            dise_dor_no=self._doctor(),
            dise_dor_name=DOCTORS[0][0],
            diag_time=v.begntime,
        )
        v.mdtrt_id = self.client.admit(info, [dise]).output.result.mdtrt_id

    def _upload_stay_fees(self, v: _Visit, step: Step) -> None:
        when = self.client.now_text()
        details = []
        for item in step.items:
            v.fees += 1
            details.append(
                ipb.InpatientFeeDetail(
                    feedetl_sn=f"ZX{v.key}{v.fees:04d}",
                    mdtrt_id=v.mdtrt_id,
                    drord_no=f"YZ{v.key}{v.fees:04d}",
                    psn_no=v.psn_no,
                    med_type=v.case.med_type,
                    fee_ocur_time=when,
                    med_list_codg=item.code,
                    medins_list_codg=f"HIS-{item.code}",
                    det_item_fee_sumamt=f"{item.total:.2f}",
                    cnt=item.cnt,
                    pric=item.pric,
                    bilg_dept_codg=WARD[0],
                    bilg_dept_name=WARD[1],
                    bilg_dr_codg=self._doctor(),
                    bilg_dr_name=DOCTORS[0][0],
                    hosp_appr_flag="0",
                )
            )
        self.client.upload_stay_fees(details)
        v.stay_fees += [(d.feedetl_sn, d.det_item_fee_sumamt) for d in details]

    def _discharge(self, v: _Visit, step: Step) -> None:
        info = ipb.DischargeInfo(
            mdtrt_id=v.mdtrt_id,
            psn_no=v.psn_no,
            insutype=v.insutype,
            endtime=self.client.now_text(),
            dscg_dept_codg=WARD[0],
            dscg_dept_name=WARD[1],
            dscg_way="1",
        )
        self.client.discharge(info)
        v.discharged = True

    def _stay_data(self, v: _Visit) -> ipb.InpatientSettleData:
        """A settlement of every unsettled item of the stay: mid-stay (中途结算) while the patient is not discharged."""
        total = sum((Decimal(amount) for _, amount in v.stay_fees), start=Decimal("0.00"))
        data = ipb.InpatientSettleData(
            psn_no=v.psn_no,
            mdtrt_cert_type=v.cert_type,
            mdtrt_cert_no=v.cert_no,
            medfee_sumamt=f"{total:.2f}",
            psn_setlway="01",
            mdtrt_id=v.mdtrt_id,
            acct_used_flag="1" if v.insutype == "310" and v.case.use_account else "0",
            insutype=v.insutype,
            mid_setl_flag="0" if v.discharged else "1",
        )
        if v.discharged:
            data.dscgTime = self.client.now_text()[:10]
        return data

    def _pre_settle_stay(self, v: _Visit, step: Step) -> None:
        if "settle-before-presettle" in self.behaviour:
            return  # the fault: sent after 2304, in _settle_stay
        pre = self.client.pre_settle_stay(self._stay_data(v)).output.setlinfo
        data = self._stay_data(v)
        data.fulamt_ownpay_amt, data.overlmt_selfpay = pre.fulamt_ownpay_amt, pre.overlmt_selfpay
        data.preselfpay_amt, data.inscp_scp_amt = pre.preselfpay_amt, pre.inscp_scp_amt
        v.stay_pre = data

    def _settle_stay(self, v: _Visit, step: Step) -> None:
        data = v.stay_pre or self._stay_data(v)
        data.invono = f"FP{v.key}{len(v.stay_settled):02d}"
        reply = self.client.settle_stay(data)
        v.stay_settled.append((reply.output.setlinfo.setl_id, v.stay_fees))
        v.stay_fees, v.stay_pre = [], None
        if "settle-before-presettle" in self.behaviour:
            with contextlib.suppress(HisRefused):
                self.client.pre_settle_stay(self._stay_data(v))

    def _cancel_stay_settlement(self, v: _Visit, step: Step) -> None:
        setl_id, items = v.stay_settled[-1]
        data = ipb.InpatientCancelSettlementData(mdtrt_id=v.mdtrt_id, setl_id=setl_id, psn_no=v.psn_no, refd_rea="02")
        self.client.cancel_stay_settlement(data)
        v.stay_settled.pop()
        v.stay_fees = items + v.stay_fees
        if "double-cancel" in self.behaviour:
            with contextlib.suppress(HisRefused):
                self.client.cancel_stay_settlement(data)

    def _query(self, v: _Visit, step: Step) -> None:
        setl_id, mdtrt_id = v.settled[step.batch if step.batch in v.settled else "sale"]
        self.client.query_settlement(qpb.QuerySetlInfoData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=v.psn_no))

    def _resend(self, v: _Visit, step: Step) -> None:
        """The previous message (not a query) again, as after a timeout: the same msgid and bytes — or, as the faulty
        HIS does, the same transaction under a new msgid."""
        if v.business is None:
            raise RuntimeError("nothing sent yet to resend")
        infno, request = v.business
        if v.retry_after:  # the refusal asked for a pause (GATEWAY_BUSY): retry later, the same message
            time.sleep(v.retry_after)
            v.retry_after = 0.0
        if "new-msgid-resend" in self.behaviour:
            reply = self._again_new_msgid(v)
        else:
            again = type(request)()
            again.CopyFrom(request)
            reply = self.client._call(infno, again)
        v.region_down = False
        if infno == "2201":  # a registration carried out at last: the visit's mdtrt_id
            v.mdtrt_id = reply.output.data.mdtrt_id
        if infno == "2206":  # a pre-settlement carried out at last: its figures go into the settlement
            self._presettled(v, _batch_of(v, request), reply.output.setlinfo)
        self._settled_by(v, infno, reply.output)

    def _settled_by(self, v: _Visit, infno: str, output: Any) -> None:
        """A settlement learnt late (a resend's reply, a Y5203 answer): its setl_id, for the card's later steps."""
        if infno not in ("2207", "2102") or not output.HasField("setlinfo") or not output.setlinfo.setl_id:
            return
        label = v.uncertain[0].batch if v.uncertain is not None and v.uncertain[0].batch else "1"
        v.settled["sale" if infno == "2102" else label] = (
            output.setlinfo.setl_id,
            output.setlinfo.mdtrt_id or v.mdtrt_id,
        )

    def _unresolved(self, v: _Visit) -> tuple[str, Message]:
        if v.uncertain is not None:
            return v.uncertain[1], v.uncertain[2]
        if v.business is None:
            raise RuntimeError("no message before this step to ask about")
        return v.business

    def _query_message(self, v: _Visit, step: Step) -> None:
        """Y5203: what became of the message whose outcome is unknown (docs/behaviour.md "Uncertain outcomes")."""
        infno, request = self._unresolved(v)
        data = vpb.MessageQueryData(psn_no=v.psn_no, omsgid=request.header.msgid, oinfno=infno)  # type: ignore[attr-defined]
        query = vpb.MessageQueryRequest(header=self.client._header("Y5203", v.psn_no, v.insutype))
        query.input.data.CopyFrom(data)
        reply = self.client._call("Y5203", query)
        if reply.output.msginfo.msg_stas == "1":  # carried out: its reply is the answer the terminal never got
            self._settled_by(v, infno, reply.output)
            v.uncertain = None

    def _reverse(self, v: _Visit, step: Step) -> None:
        """2601: reverse the message whose outcome is unknown (or the previous one)."""
        infno, request = self._unresolved(v)
        data = vpb.ReversalData(psn_no=v.psn_no, omsgid=request.header.msgid, oinfno=infno)  # type: ignore[attr-defined]
        reversal = vpb.ReversalRequest(header=self.client._header("2601", v.psn_no, v.insutype))
        reversal.input.data.CopyFrom(data)
        self.client._call("2601", reversal)
        v.uncertain = None

    # ---- filings: 2503, 2505, Y2505, 2506, Y2506

    def _send(self, infno: str, request_cls: Any, inp: Message, v: _Visit) -> Any:
        request = request_cls(header=self.client._header(infno, v.psn_no, v.insutype))
        request.input.CopyFrom(inp)
        return self.client._call(infno, request)

    def _file_chronic(self, v: _Visit, step: Step) -> None:
        today = self.client.now_text()[:10]
        data = fpb.ChronicFilingData(
            psn_no=v.psn_no,
            insutype=v.insutype,
            opsp_dise_code=step.option("code"),
            opsp_dise_name=step.option("name"),
            insu_optins=self.client.insured_place(v.psn_no, v.insutype),
            ide_fixmedins_no=self.client.institution.fixmedins_code,
            ide_fixmedins_name=self.client.institution.fixmedins_name,
            hosp_ide_date=today,
            diag_dr_codg=self._doctor(),
            diag_dr_name=DOCTORS[0][0],
            begndate=today,
        )
        self._send("2503", fpb.ChronicFilingRequest, fpb.ChronicFilingInput(data=data), v)

    def _file_designation(self, v: _Visit, step: Step) -> None:
        kind = step.option("fil_type")
        data = fpb.DesignationData(
            psn_no=v.psn_no,
            insutype=v.insutype,
            biz_appy_type={"21": "07", "23": "07", "22": "06"}.get(kind, "08"),
            mdtrtarea_admdvs=step.option("place"),
            fil_type=kind,
            cmtm_flag=step.option("commitment") or "0",
            tel="010-00000000",
        )
        reply = self._send("2505", fpb.DesignationRequest, fpb.DesignationInput(data=data), v)
        v.filing = reply.output.result.trt_dcla_detl_sn

    def _change_filing(self, v: _Visit, step: Step) -> None:
        data = fpb.ChangeFilingData(
            trt_dcla_detl_sn=v.filing,
            psn_no=v.psn_no,
            mdtrtarea_admdvs=step.option("place"),
            fil_type=step.option("fil_type"),
            memo="变更",
        )
        reply = self._send("Y2505", fpb.ChangeFilingRequest, fpb.ChangeFilingInput(data=data), v)
        v.filing = reply.output.result.trt_dcla_detl_sn

    def _revoke_filing(self, v: _Visit, step: Step) -> None:
        data = fpb.RevokeFilingData(trt_dcla_detl_sn=v.filing, psn_no=v.psn_no, memo="撤销")
        self._send("2506", fpb.RevokeFilingRequest, fpb.RevokeFilingInput(data=data), v)

    def _review_commitment(self, v: _Visit, step: Step) -> None:
        data = fpb.ReviewCommitmentData(trt_dcla_detl_sn=v.filing, psn_no=v.psn_no, matl_stas=step.option("material"))
        self._send("Y2506", fpb.ReviewCommitmentRequest, fpb.ReviewCommitmentInput(data=data), v)

    # ---- a partial refund (Y2208) and the day's reconciliation (3201, 3202)

    def _refund_items(self, v: _Visit, step: Step) -> None:
        setl_id, mdtrt_id = v.settled[step.batch]
        returned = set(step.option("codes").split(","))
        numbers = self._feedetl_sns(v, step.batch)
        refund = vpb.RefundItemsInput(
            data=vpb.RefundItemsData(setl_id=setl_id, mdtrt_id=mdtrt_id, psn_no=v.psn_no, refd_rea="01"),
            refddetail=[vpb.RefundItem(feedetl_sn=sn) for sn, code in numbers if code in returned],
        )
        reply = self._send("Y2208", vpb.RefundItemsRequest, refund, v)
        kept = reply.output.newsetl.setlinfo.setl_id
        v.settled[step.batch] = (kept, mdtrt_id) if kept else v.settled[step.batch]

    def _feedetl_sns(self, v: _Visit, batch: str) -> list[tuple[str, str]]:
        """(feedetl_sn, code) of the batch's items as 2204 sent them."""
        return list(v.fee_numbers.get(batch, []))

    def _books_of_today(self) -> list[Any]:
        today = self.client.now_text()[:10]
        books: dict[str, Any] = getattr(self.client, "books", {})
        return [i for i in books.values() if i.setl_time[:10] == today]

    def _reconcile_totals(self, v: _Visit, step: Step) -> None:
        """3201 for the case's insutype and clearing type: every record of the day the terminal holds, net."""
        today = self.client.now_text()[:10]
        clr_type = {"pharmacy": "41", "inpatient": "21"}.get(v.case.kind, "11")
        mine = [i for i in self._books_of_today() if i.insutype == v.insutype and i.clr_type == clr_type]
        data = cpb.CheckTotalsData(
            insutype=v.insutype,
            clr_type=clr_type,
            setl_optins=self.client.institution.admdvs,
            stmt_begndate=today,
            stmt_enddate=today,
            medfee_sumamt=_total(mine, "medfee_sumamt"),
            fund_pay_sumamt=_total(mine, "fund_pay_sumamt"),
            acct_pay=_total(mine, "acct_pay"),
            fixmedins_setl_cnt=str(len(mine)),
        )
        self._send("3201", cpb.CheckTotalsRequest, cpb.CheckTotalsInput(data=data), v)

    def _reconcile_details(self, v: _Visit, step: Step) -> None:
        """3202: every record of the day the terminal holds, one row each, with the day's totals."""
        today = self.client.now_text()[:10]
        mine = self._books_of_today()
        data = cpb.CheckDetailsData(
            setl_optins=self.client.institution.admdvs,
            stmt_begndate=today,
            stmt_enddate=today,
            medfee_sumamt=_total(mine, "medfee_sumamt"),
            fund_pay_sumamt=_total(mine, "fund_pay_sumamt"),
            cash_payamt=_total(mine, "psn_cash_pay"),
            fixmedins_setl_cnt=str(len(mine)),
        )
        rows = [
            cpb.DetailRecord(
                psn_no=i.psn_no,
                mdtrt_id=i.mdtrt_id,
                setl_id=i.setl_id,
                msgid=i.medins_setl_id,
                insutype=i.insutype,
                refd_setl_flag="1" if Decimal(i.medfee_sumamt or "0") < 0 else "0",
                medfee_sumamt=i.medfee_sumamt,
                fund_pay_sumamt=i.fund_pay_sumamt,
                acct_pay=i.acct_pay,
            )
            for i in mine
        ]
        self._send("3202", cpb.CheckDetailsRequest, cpb.CheckDetailsInput(data=data, detail=rows), v)

    def _doctor(self) -> str:
        return f"D{self.client.institution.admdvs}{DOCTORS[0][1]}"


def _total(infos: list[Any], name: str) -> str:
    return f"{sum((Decimal(getattr(i, name) or '0') for i in infos), start=Decimal('0.00')):.2f}"


def _batch_of(v: _Visit, request: Any) -> str:
    """The card's label of the charge batch a settlement message names."""
    chrg_bchno = request.input.data.chrg_bchno
    return next((label for label, (bchno, _) in v.batches.items() if bchno == chrg_bchno), "1")


def _uncertain(r: HisRefused) -> bool:
    """No reply, or a reply saying the outcome is unknown: the call may or may not have been carried out."""
    return r.code == "CORE_OUTCOME_UNKNOWN" or (
        not r.code and r.status_code in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAVAILABLE)
    )


class LabClockError(RuntimeError):
    """The lab would not do a step of the card that is the lab's: move the session's clock, clear a month, or name
    a prior settlement."""


# Moves the session's clock: {"set": …, "advance": …} as the operator API takes it; returns the session's new `now`.
LabClockSetter = Callable[[dict[str, str]], datetime]
# (setl_id, mdtrt_id) of the settlement the suite's state made before the session for a case id.
PriorLookup = Callable[[str], tuple[str, str]]
# Clears a month (setlym, yyyyMM) on the session's sandbox; returns the clearing statements made.
LabClearing = Callable[[str], list[dict[str, Any]]]


class LabClockFollower:
    """The HIS's clock kept on the lab's time: the session's `now` when read, running on from there."""

    def __init__(self, at: datetime) -> None:
        self._at, self._anchor = at, datetime.now()

    def move_to(self, at: datetime) -> None:
        self._at, self._anchor = at, datetime.now()

    def __call__(self) -> datetime:
        return self._at + (datetime.now() - self._anchor)
