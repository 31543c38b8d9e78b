"""The patient's settlement receipt (结算单): what the platform settled, checked and printed by the HIS."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from yibao.domain.world import Institution
from yibao.v1.settlement_pb2 import FeeSplit, SetlDetail, SetlInfo, SettleReply

ZERO = Decimal("0.00")
LEVELS = {"01": "甲", "02": "乙", "03": "丙"}
INSUTYPES = {"310": "职工基本医疗保险", "390": "城乡居民基本医疗保险", "340": "离休人员医疗保障"}
MED_TYPES = {"11": "普通门诊", "12": "门诊挂号", "13": "急诊", "14": "门诊慢特病", "19": "意外伤害门诊",
             "21": "普通住院", "23": "转外诊治住院", "24": "急诊转住院", "41": "药店购药"}  # fmt: skip
# clr_type -> the receipt's title
TITLES = {
    "11": ("门诊医保结算单", "Outpatient settlement receipt"),
    "21": ("住院医保结算单", "Inpatient settlement receipt"),
    "41": ("药店医保结算单", "Pharmacy settlement receipt"),
}
VISIT_NO = {"11": "门诊号", "21": "住院号", "41": "销售号"}
# A cancellation (2208/2305/2103) gives the bill back negated, always. Its money is the settlement's negated
# too when the settlement is the person's latest; cancelling an earlier one (隔笔退费) may move money between
# the refund and the later settlements (deductible and caps are consumed in order), so then only its own
# identities are checked.
REVERSED_BILL = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt")
REVERSED_MONEY = ("act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifmi_pay", "hifob_pay", "maf_pay", "fund_pay_sumamt",
                  "psn_part_amt", "acct_pay", "psn_cash_pay", "acct_mulaid_pay")  # fmt: skip
REVERSED_AMOUNTS = REVERSED_BILL + REVERSED_MONEY


class HisCheckFailed(Exception):
    """The platform answered, but the HIS cannot accept the answer (receipt does not add up, bad reply)."""

    def __init__(self, code: str, problems: list[str], receipt: Receipt | None = None) -> None:
        super().__init__("; ".join(problems))
        self.code, self.problems, self.receipt = code, problems, receipt


def amount(text: str, where: str) -> Decimal:
    """A decimal string from a reply; "" reads as 0 (samples show unused amounts as null)."""
    if not text:
        return ZERO
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise HisCheckFailed("HIS_BAD_REPLY", [f"{where} is not a decimal: {text!r}"]) from None
    if not value.is_finite():
        raise HisCheckFailed("HIS_BAD_REPLY", [f"{where} is not a finite decimal: {text!r}"])
    return value


@dataclass(frozen=True, slots=True)
class ReceiptItem:
    """One billed line and the platform's split of it (2204 result)."""

    feedetl_sn: str
    med_list_codg: str
    name: str
    cnt: Decimal
    pric: Decimal
    det_item_fee_sumamt: Decimal  # what the HIS billed: cnt × pric to the fen
    chrgitm_lv: str
    fulamt_ownpay_amt: Decimal
    overlmt_amt: Decimal
    preselfpay_amt: Decimal
    inscp_scp_amt: Decimal
    memo: str = ""

    @classmethod
    def of(
        cls, med_list_codg: str, name: str, cnt: Decimal, pric: Decimal, billed: Decimal, split: FeeSplit
    ) -> ReceiptItem:
        where = f"2204 result[{split.feedetl_sn}]"
        return cls(
            feedetl_sn=split.feedetl_sn,
            med_list_codg=med_list_codg,
            name=name,
            cnt=cnt,
            pric=pric,
            det_item_fee_sumamt=billed,
            chrgitm_lv=split.chrgitm_lv,
            fulamt_ownpay_amt=amount(split.fulamt_ownpay_amt, f"{where}.fulamt_ownpay_amt"),
            overlmt_amt=amount(split.overlmt_amt, f"{where}.overlmt_amt"),
            preselfpay_amt=amount(split.preselfpay_amt, f"{where}.preselfpay_amt"),
            inscp_scp_amt=amount(split.inscp_scp_amt, f"{where}.inscp_scp_amt"),
            memo=split.memo,
        )


@dataclass(frozen=True, slots=True)
class FundRow:
    """One setldetail row: a fund that paid."""

    fund_pay_type: str
    fund_pay_type_name: str
    fund_payamt: Decimal
    inscp_scp_amt: Decimal
    crt_payb_lmt_amt: Decimal
    setl_proc_info: str

    @classmethod
    def of(cls, row: SetlDetail) -> FundRow:
        where = f"setldetail[{row.fund_pay_type}]"
        return cls(
            fund_pay_type=row.fund_pay_type,
            fund_pay_type_name=row.fund_pay_type_name,
            fund_payamt=amount(row.fund_payamt, f"{where}.fund_payamt"),
            inscp_scp_amt=amount(row.inscp_scp_amt, f"{where}.inscp_scp_amt"),
            crt_payb_lmt_amt=amount(row.crt_payb_lmt_amt, f"{where}.crt_payb_lmt_amt"),
            setl_proc_info=row.setl_proc_info,
        )


@dataclass(frozen=True, slots=True)
class Receipt:
    # the HIS's own side of the visit
    fixmedins_code: str
    fixmedins_name: str
    ipt_otp_no: str
    chrg_bchno: str
    insuplc_admdvs: str
    diag_code: str
    diag_name: str
    billed_sumamt: Decimal  # Σ det_item_fee_sumamt the HIS uploaded
    items: tuple[ReceiptItem, ...]
    setldetail: tuple[FundRow, ...]
    warn_msg: str
    # setlinfo, field for field (docs/reference/interface.md §5.3)
    mdtrt_id: str
    setl_id: str
    psn_no: str
    psn_name: str
    psn_cert_type: str
    certno: str
    gend: str
    naty: str
    brdy: str
    age: str
    insutype: str
    psn_type: str
    cvlserv_flag: str
    setl_time: str
    mdtrt_cert_type: str
    med_type: str
    medfee_sumamt: Decimal
    fulamt_ownpay_amt: Decimal
    overlmt_selfpay: Decimal
    preselfpay_amt: Decimal
    inscp_scp_amt: Decimal
    act_pay_dedc: Decimal
    hifp_pay: Decimal
    pool_prop_selfpay: Decimal
    cvlserv_pay: Decimal
    hifes_pay: Decimal
    hifmi_pay: Decimal
    hifob_pay: Decimal
    maf_pay: Decimal
    oth_pay: Decimal
    fund_pay_sumamt: Decimal
    psn_part_amt: Decimal
    acct_pay: Decimal
    psn_cash_pay: Decimal
    hosp_part_amt: Decimal
    balc: Decimal
    acct_mulaid_pay: Decimal
    medins_setl_id: str
    clr_optins: str
    clr_way: str
    clr_type: str
    reverses: str = ""  # a cancellation's receipt: the setl_id it cancels

    @property
    def fund_rows_total(self) -> Decimal:
        return sum((f.fund_payamt for f in self.setldetail), ZERO)

    @classmethod
    def setlinfo_fields(cls, info: SetlInfo) -> dict[str, object]:
        """Every setlinfo field, amounts as Decimal, keyed as the Receipt field of the same name."""
        own = {f.name: f.type for f in fields(cls)}
        values: dict[str, object] = {}
        for field in SetlInfo.DESCRIPTOR.fields:
            if field.name not in own:  # a newer proto field the receipt does not print
                continue
            text = getattr(info, field.name)
            is_amount = own[field.name] in (Decimal, "Decimal")
            values[field.name] = amount(text, f"setlinfo.{field.name}") if is_amount else text
        return values


def receipt_of(
    institution: Institution,
    reply: SettleReply,
    *,
    ipt_otp_no: str,
    insuplc_admdvs: str,
    billed: Decimal,
    items: tuple[ReceiptItem, ...] = (),
    chrg_bchno: str = "",
    diag: tuple[str, str] = ("", ""),
    reverses: str = "",
) -> Receipt:
    """The receipt of a settling reply (2207, 2304, 2102) or of a cancellation (2208, 2305, 2103)."""
    return Receipt(
        fixmedins_code=institution.fixmedins_code,
        fixmedins_name=institution.fixmedins_name,
        ipt_otp_no=ipt_otp_no,
        chrg_bchno=chrg_bchno,
        insuplc_admdvs=insuplc_admdvs,
        diag_code=diag[0],
        diag_name=diag[1],
        billed_sumamt=billed,
        items=items,
        setldetail=tuple(FundRow.of(row) for row in reply.output.setldetail),
        warn_msg=reply.header.warn_msg,
        reverses=reverses,
        **Receipt.setlinfo_fields(reply.output.setlinfo),  # type: ignore[arg-type]
    )


def checked(receipt: Receipt, orig: Receipt | None = None, *, latest: bool = True) -> Receipt:
    """The receipt if it adds up (and, for a cancellation, mirrors `orig`: see check_reversal); else the
    visit fails."""
    problems = check_receipt(receipt) if orig is None else check_reversal(orig, receipt, latest=latest)
    if problems:
        raise HisCheckFailed("HIS_RECEIPT_CHECK", problems, receipt)
    return receipt


def check_receipt(r: Receipt) -> list[str]:
    """The identities a HIS verifies before printing the receipt; each violation in words."""
    problems = []
    if not r.setl_id:
        problems.append("setlinfo.setl_id is empty: the settlement cannot be cancelled (2208) or reconciled")
    if r.medfee_sumamt != r.billed_sumamt:
        problems.append(f"medfee_sumamt {r.medfee_sumamt} ≠ billed total {r.billed_sumamt}")
    if r.medfee_sumamt != r.fund_pay_sumamt + r.psn_part_amt:
        parts = f"fund_pay_sumamt {r.fund_pay_sumamt} + psn_part_amt {r.psn_part_amt}"
        problems.append(f"medfee_sumamt {r.medfee_sumamt} ≠ {parts}")
    if r.psn_part_amt != r.acct_pay + r.psn_cash_pay:
        parts = f"acct_pay {r.acct_pay} + psn_cash_pay {r.psn_cash_pay}"
        problems.append(f"psn_part_amt {r.psn_part_amt} ≠ {parts}")
    if r.fund_rows_total != r.fund_pay_sumamt:
        problems.append(f"setldetail fund_payamt Σ {r.fund_rows_total} ≠ fund_pay_sumamt {r.fund_pay_sumamt}")
    split = r.fulamt_ownpay_amt + r.overlmt_selfpay + r.preselfpay_amt + r.inscp_scp_amt
    if split != r.medfee_sumamt:
        parts = "fulamt_ownpay_amt + overlmt_selfpay + preselfpay_amt + inscp_scp_amt"
        problems.append(f"medfee_sumamt {r.medfee_sumamt} ≠ {parts} {split}")
    return problems


def check_reversal(orig: Receipt, rev: Receipt, *, latest: bool = True) -> list[str]:
    """A cancellation balances, has a new setl_id and gives the bill back negated; when `orig` was the
    person's latest settlement (nothing of theirs settled or cancelled since), every amount is negated."""
    problems = check_receipt(rev)
    if rev.setl_id == orig.setl_id:
        problems.append(f"the cancellation reuses setl_id {orig.setl_id}")
    for name in REVERSED_AMOUNTS if latest else REVERSED_BILL:
        was, now = getattr(orig, name), getattr(rev, name)
        if now != -was:
            problems.append(f"cancellation {name} {now} ≠ −{was}")
    return problems


# -- printing


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


def _clip(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-2] + "…"
    return text


WIDTH = 100
RULE = "-" * WIDTH
NAME_WIDTH = 28
# (Chinese label, English label = the national field, column width)
COLUMNS = (
    ("数量", "cnt", 8),
    ("单价", "pric", 10),
    ("金额", "sumamt", 11),
    ("全自费", "fulamt", 10),
    ("超限价", "overlmt", 10),
    ("先行自付", "preselfpay", 11),
    ("政策范围内", "inscp", 12),
)


def _money_line(label: str, value: Decimal, indent: int = 2) -> str:
    return " " * indent + _left(label, 40) + _right(f"{value:,.2f}", 14)


def format_receipt(r: Receipt) -> str:
    insutype = f"{r.insutype} {INSUTYPES.get(r.insutype, '')}".strip()
    med_type = f"{r.med_type} {MED_TYPES.get(r.med_type, '')}".strip()
    zh, en = TITLES.get(r.clr_type, TITLES["11"])
    visit_no = VISIT_NO.get(r.clr_type, VISIT_NO["11"])
    if r.reverses:
        zh, en = f"{zh}（撤销）", f"{en} (cancellation of {r.reverses})"
    lines = [
        "=" * WIDTH,
        f"  {zh}  {en}        结算号 setl_id {r.setl_id}",
        "=" * WIDTH,
        f"  机构 Institution  {r.fixmedins_code} {r.fixmedins_name}",
        f"  患者 Patient      {r.psn_name}  人员编号 psn_no {r.psn_no}  年龄 age {r.age}",
        f"  险种 Insurance    {insutype}  参保地 insured at {r.insuplc_admdvs}",
        f"  就诊 Visit        {visit_no} {r.ipt_otp_no}  mdtrt_id {r.mdtrt_id}  医疗类别 {med_type}",
        f"  诊断 Diagnosis    {r.diag_code} {r.diag_name}",
        f"  时间 Settled at   {r.setl_time}  收费批次 chrg_bchno {r.chrg_bchno}",
        RULE,
        "  " + _left("项目 [甲/乙/丙]", NAME_WIDTH) + "".join(_right(zh, w) for zh, _, w in COLUMNS),
        "  " + _left("item [chrgitm_lv]", NAME_WIDTH) + "".join(_right(en, w) for _, en, w in COLUMNS),
    ]
    for i in r.items:
        name = _clip(f"{i.name} [{LEVELS.get(i.chrgitm_lv, i.chrgitm_lv)}]", NAME_WIDTH - 1)
        cells = (
            f"{i.cnt.normalize():f}",
            f"{i.pric:.2f}",
            f"{i.det_item_fee_sumamt:.2f}",
            f"{i.fulamt_ownpay_amt:.2f}",
            f"{i.overlmt_amt:.2f}",
            f"{i.preselfpay_amt:.2f}",
            f"{i.inscp_scp_amt:.2f}",
        )
        row = "".join(_right(c, w) for c, (*_, w) in zip(cells, COLUMNS, strict=True))
        lines.append("  " + _left(name, NAME_WIDTH) + row)
        if i.memo:
            lines.append(f"      ↳ {i.memo}")
    lines += [
        RULE,
        _money_line("医疗费总额 medfee_sumamt", r.medfee_sumamt),
        _money_line("全自费 fulamt_ownpay_amt", r.fulamt_ownpay_amt, 4),
        _money_line("超限价自费 overlmt_selfpay", r.overlmt_selfpay, 4),
        _money_line("先行自付 preselfpay_amt", r.preselfpay_amt, 4),
        _money_line("符合政策范围 inscp_scp_amt", r.inscp_scp_amt, 4),
        _money_line("起付线 act_pay_dedc", r.act_pay_dedc, 4),
        _money_line("基金支付 fund_pay_sumamt", r.fund_pay_sumamt),
    ]
    for f in r.setldetail:
        lines.append(_money_line(_clip(f"{f.fund_pay_type} {f.fund_pay_type_name}", 38), f.fund_payamt, 4))
    lines += [
        _money_line("个人负担 psn_part_amt", r.psn_part_amt),
        _money_line("个人账户 acct_pay", r.acct_pay, 4),
        _money_line("个人现金 psn_cash_pay", r.psn_cash_pay, 4),
        _money_line("账户余额 balc", r.balc),
    ]
    if r.warn_msg:
        lines.append(f"  警告 warning: {r.warn_msg}")
    lines.append("=" * WIDTH)
    return "\n".join(lines)
