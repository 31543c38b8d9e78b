"""The settlement list (医疗保障基金结算清单; docs/reference/interface.md §2; docs/institution-clearing.md): 4101
and 4101A upload one list per settlement and 4103 reads it back.

A list is checked against the settlement it names before it is kept, so an agency reviewing it reads what was
paid: the settlement is the institution's and stands (not a refund record, not cancelled, not voided); the
visit, the person (psn_no, name, ID number) are the settlement's; each fund's payment in payinfo[] is what that
fund paid (setldetail), the personal account line 310200 optional as setlinfo.acct_pay carries it; acct_pay and
psn_cashpay are the settlement's; the items' amounts in iteminfo[] add up to medfee_sumamt, each charge category
once; at least one diagnosis, at most one of them the main one. Every figure to the fen.
"""

from __future__ import annotations

from decimal import Decimal

from yibao.call import CallContext
from yibao.domain.money import ZERO, parse_decimal, yuan
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import require
from yibao.simulators.core import stored_values
from yibao.simulators.core.values import settlement_list as v
from yibao.simulators.core.values.settlement import SettleOutput
from yibao.storage import institution_clearing as store
from yibao.storage import ledger
from yibao.storage.institution_clearing import SettlementListRow
from yibao.storage.rows import SettlementRow
from yibao.storage.store import Tx

ACCOUNT = "310200"  # the personal account's line: setlinfo.acct_pay already says it
NODES = ("setlinfo", "payinfo", "opspdiseinfo", "diseinfo", "iteminfo", "oprninfo", "icuinfo")


def upload(world: World, tx: Tx, ctx: CallContext, inp: v.SettlementListInput) -> v.SettlementListOutput:
    """4101 / 4101A: keep the list of one settlement, checked against it; returns setl_list_id."""
    s, path = inp.setlinfo, "input.setlinfo"
    require(s, path, "mdtrt_id", "setl_id", "psn_no", "psn_name", "certno", "acct_pay", "psn_cashpay")
    row = _settlement(tx, ctx, s.setl_id, f"{path}.setl_id")
    out = stored_values.loads(SettleOutput, row.output)
    _same_visit_and_person(s, path, row, out)
    _same_money(inp, row, out)
    _clinical(inp)
    known = store.settlement_list_of(tx, setl_id=row.setl_id)
    if known is not None:
        raise Refusal("SETL_LIST_EXISTS", f"{path}.setl_id", setl_id=row.setl_id, setl_list_id=known.setl_list_id)
    setl_list_id = new_id(ctx.mdtrtarea_admvs, ctx.now)
    body = stored_values.dumps(inp).decode()
    store.add_settlement_list(tx, SettlementListRow(setl_list_id, row.setl_id, ctx.institution.fixmedins_code,
                                                    row.psn_no, ctx.infno, body, ctx.time_text))  # fmt: skip
    return v.SettlementListOutput(setl_list_id=setl_list_id)


def query(world: World, tx: Tx, ctx: CallContext, inp: v.SettlementListQueryInput) -> v.SettlementListQueryOutput:
    """4103: the list of a settlement (by setl_id or setl_list_id), as it was uploaded."""
    d, path = inp.data, "input.data"
    require(d, path, "psn_no")
    if not (d.setl_id or d.setl_list_id):
        raise Refusal("ENV_REQUIRED", f"{path}.setl_id")
    found = store.settlement_list_of(tx, setl_id=d.setl_id, setl_list_id=d.setl_list_id)
    if found is None or found.fixmedins_code != ctx.institution.fixmedins_code or found.psn_no != d.psn_no:
        what = f"setl_id {d.setl_id}" if d.setl_id else f"setl_list_id {d.setl_list_id}"
        raise Refusal("SETL_LIST_NOT_FOUND", f"{path}.{'setl_id' if d.setl_id else 'setl_list_id'}", what=what)
    kept = stored_values.loads(v.SettlementListInput, found.body.encode())
    return v.SettlementListQueryOutput(
        setl_list_id=found.setl_list_id, infno=found.infno, upld_time=found.created_at,
        **{name: getattr(kept, name) for name in NODES},
    )  # fmt: skip


def _settlement(tx: Tx, ctx: CallContext, setl_id: str, path: str) -> SettlementRow:
    row = ledger.settlement_for_update(tx, setl_id)
    if row is None or row.fixmedins_code != ctx.institution.fixmedins_code:
        raise Refusal("SETL_LIST_SETTLEMENT", path, setl_id=setl_id, code=ctx.institution.fixmedins_code)
    if row.kind == "reversal":
        raise Refusal("SETL_LIST_NOT_SETTLED", path, setl_id=setl_id,
                      reason=f"这是退费记录（原结算 {row.orig_setl_id}）",
                      reason_en=f"it is a refund record (of settlement {row.orig_setl_id})")  # fmt: skip
    if row.reversed_by:
        raise Refusal("SETL_LIST_NOT_SETTLED", path, setl_id=setl_id, reason=f"该结算已撤销（{row.reversed_by}）",
                      reason_en=f"the settlement was cancelled ({row.reversed_by})")  # fmt: skip
    return row


def _same_visit_and_person(s: v.ListSetlInfo, path: str, row: SettlementRow, out: SettleOutput) -> None:
    if s.mdtrt_id != row.mdtrt_id:
        raise Refusal("SETL_LIST_MISMATCH", f"{path}.mdtrt_id", value=s.mdtrt_id, setl_id=row.setl_id,
                      expected=row.mdtrt_id)  # fmt: skip
    if s.psn_no != row.psn_no:
        raise Refusal("SETL_LIST_MISMATCH", f"{path}.psn_no", value=s.psn_no, setl_id=row.setl_id,
                      expected=row.psn_no)  # fmt: skip
    for name in ("psn_name", "certno"):  # personal data: not echoed
        if getattr(s, name) != getattr(out.setlinfo, name):
            raise Refusal("SETL_LIST_PERSON", f"{path}.{name}", setl_id=row.setl_id)


def _same_money(inp: v.SettlementListInput, row: SettlementRow, out: SettleOutput) -> None:
    s, path = inp.setlinfo, "input.setlinfo"
    for name, theirs in (("acct_pay", out.setlinfo.acct_pay), ("psn_cashpay", out.setlinfo.psn_cash_pay)):
        if _amount(getattr(s, name), f"{path}.{name}") != Decimal(theirs):
            raise Refusal("SETL_LIST_MISMATCH", f"{path}.{name}", value=getattr(s, name), setl_id=row.setl_id,
                          expected=yuan(Decimal(theirs)))  # fmt: skip
    paid: dict[str, Decimal] = {}
    for line in out.setldetail:
        paid[line.fund_pay_type] = paid.get(line.fund_pay_type, ZERO) + Decimal(line.fund_payamt)
    declared: dict[str, Decimal] = {}
    for n, p in enumerate(inp.payinfo):
        ppath = f"input.payinfo[{n}]"
        require(p, ppath, "fund_pay_type", "fund_payamt")
        if p.fund_pay_type in declared:
            raise Refusal("SETL_LIST_RULE", f"{ppath}.fund_pay_type", rule=f"基金 {p.fund_pay_type} 重复列出",
                          rule_en=f"fund {p.fund_pay_type} is listed twice")  # fmt: skip
        declared[p.fund_pay_type] = amount = _amount(p.fund_payamt, f"{ppath}.fund_payamt")
        if amount != paid.get(p.fund_pay_type, ZERO):
            raise Refusal("SETL_LIST_FUND", f"{ppath}.fund_payamt", fund_pay_type=p.fund_pay_type,
                          value=p.fund_payamt, setl_id=row.setl_id,
                          expected=yuan(paid.get(p.fund_pay_type, ZERO)))  # fmt: skip
    for fund, amount in sorted(paid.items()):
        if fund not in declared and fund != ACCOUNT and amount != ZERO:
            raise Refusal("SETL_LIST_FUND", "input.payinfo", fund_pay_type=fund, value="(未列)", setl_id=row.setl_id,
                          expected=yuan(amount))  # fmt: skip
    total, seen = ZERO, set()
    for n, item in enumerate(inp.iteminfo):
        ipath = f"input.iteminfo[{n}]"
        require(item, ipath, "med_chrgitm", "amt")
        if item.med_chrgitm in seen:
            raise Refusal("SETL_LIST_RULE", f"{ipath}.med_chrgitm", rule=f"收费项目类别 {item.med_chrgitm} 重复列出",
                          rule_en=f"charge category {item.med_chrgitm} is listed twice")  # fmt: skip
        seen.add(item.med_chrgitm)
        total += _amount(item.amt, f"{ipath}.amt")
    if total != Decimal(out.setlinfo.medfee_sumamt):
        raise Refusal("SETL_LIST_MISMATCH", "input.iteminfo", value=f"合计 {yuan(total)}", setl_id=row.setl_id,
                      expected=f"medfee_sumamt {yuan(Decimal(out.setlinfo.medfee_sumamt))}")  # fmt: skip


def _clinical(inp: v.SettlementListInput) -> None:
    if not inp.diseinfo:
        raise Refusal("ENV_REQUIRED", "input.diseinfo")
    for n, d in enumerate(inp.diseinfo):
        require(d, f"input.diseinfo[{n}]", "diag_code", "diag_name")
    main = [n for n, d in enumerate(inp.diseinfo) if d.maindiag_flag == "1"]
    if len(main) > 1:
        raise Refusal("SETL_LIST_RULE", f"input.diseinfo[{main[1]}].maindiag_flag", rule="主诊断只能有一个",
                      rule_en="only one main diagnosis")  # fmt: skip


def _amount(value: str, path: str) -> Decimal:
    parsed = parse_decimal(value, 2)
    if parsed is None:
        raise Refusal("ENV_FORMAT", path, rule=f"应为非负数字，最多 2 位小数，收到 {value!r}")
    return parsed
