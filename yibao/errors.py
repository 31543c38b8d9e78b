"""The error catalogue: every refusal in the product has a stable code, a category, plain words
in Chinese and English, and the path of the offending field.

Domain code raises `Refusal(CODE, field=..., **params)`; the gateway turns it into the national
reply (infcode -1, err_msg) and a gRPC status with details.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    ENVELOPE = "envelope"
    AUTHENTICATION = "authentication"
    BUSINESS = "business"
    REGION_UNAVAILABLE = "region_unavailable"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    code: str
    category: Category
    zh: str  # str.format template
    en: str


_E, _A, _B, _I = Category.ENVELOPE, Category.AUTHENTICATION, Category.BUSINESS, Category.INTERNAL

CATALOGUE: dict[str, ErrorSpec] = {
    spec.code: spec
    for spec in [
        # -- envelope and input shape
        ErrorSpec("ENV_REQUIRED", _E, "{field} 必须填写", "{field} is required"),
        ErrorSpec("ENV_FORMAT", _E, "{field} 格式错误：{rule}", "{field} is malformed: {rule}"),
        ErrorSpec(
            "ENV_TOO_LONG", _E, "{field} 超长：最多 {max} 个字符", "{field} is too long: at most {max} characters"
        ),
        ErrorSpec(
            "ENV_CODE",
            _E,
            "{field} 代码值 {value} 无效，可选值：{allowed}",
            "{field} has invalid code {value}; allowed: {allowed}",
        ),
        ErrorSpec(
            "ENV_MSGID_FORMAT",
            _E,
            "msgid 应为 机构编号(12位)+yyyyMMddHHmmss+4位顺序号，收到 {value}",
            "msgid must be institution code (12) + yyyyMMddHHmmss + 4-digit sequence; got {value}",
        ),
        ErrorSpec(
            "ENV_MSGID_INSTITUTION",
            _E,
            "msgid 前12位 {prefix} 与 fixmedins_code {code} 不一致",
            "msgid starts with {prefix}, not with fixmedins_code {code}",
        ),
        ErrorSpec(
            "ENV_INFNO_MISMATCH",
            _E,
            "infno {value} 与所调用交易 {expected} 不符",
            "infno {value} does not match the called transaction {expected}",
        ),
        ErrorSpec(
            "ENV_INF_TIME",
            _E,
            "inf_time {value} 与平台时间 {now} 相差超过 {minutes} 分钟",
            "inf_time {value} is more than {minutes} minutes from platform time {now}",
        ),
        ErrorSpec(
            "ENV_MDTRTAREA",
            _E,
            "mdtrtarea_admvs {value} 与机构所在医保区划 {expected} 不一致",
            "mdtrtarea_admvs {value} is not the institution's region {expected}",
        ),
        ErrorSpec(
            "ENV_INSUPLC",
            _E,
            "insuplc_admdvs {value} 与人员 {psn_no} 的参保地 {expected} 不一致（请取 1101 的 insuinfo.insuplc_admdvs）",
            "insuplc_admdvs {value} is not person {psn_no}'s insured place {expected} (take it from 1101 insuinfo)",
        ),
        ErrorSpec(
            "ENV_MSGID_REUSED",
            _E,
            "msgid {msgid} 已用于内容不同的报文，重发请保持报文一致，新交易请用新 msgid",
            "msgid {msgid} was already used with a different body; resend the same body or use a new msgid",
        ),
        # -- authentication
        ErrorSpec("AUTH_INSTITUTION_UNKNOWN", _A, "定点医药机构 {code} 不存在", "institution {code} is unknown"),
        ErrorSpec(
            "AUTH_INSTITUTION_DISABLED", _A, "定点医药机构 {code} 已暂停医保结算", "institution {code} is disabled"
        ),
        ErrorSpec(
            "AUTH_INSTITUTION_TYPE",
            _A,
            "机构 {code} 为{kind}，不能办理交易 {infno}",
            "institution {code} is a {kind_en} and cannot call {infno}",
        ),
        ErrorSpec(
            "AUTH_SIGN_NO_UNKNOWN",
            _A,
            "sign_no {value} 不是 9001 签到发给机构 {code} 的签到号，请先签到",
            "sign_no {value} was not issued by 9001 to institution {code}; sign in first",
        ),
        ErrorSpec(
            "AUTH_SIGNED_OUT",
            _A,
            "sign_no {value} 已于 {time} 签退，请重新签到",
            "sign_no {value} was signed out at {time}; sign in again",
        ),
        # -- persons and certificates
        ErrorSpec(
            "PSN_CERT_UNKNOWN",
            _B,
            "未找到就诊凭证：类型 {cert_type} 号码 {value}",
            "no person holds certificate type {cert_type} number {value}",
        ),
        ErrorSpec(
            "PSN_CERT_MISMATCH",
            _B,
            "{field} 与就诊凭证所属人员不符：{detail}",
            "{field} does not match the certificate holder: {detail}",
        ),
        ErrorSpec("PSN_NOT_FOUND", _B, "人员编号 {psn_no} 不存在", "person {psn_no} does not exist"),
        ErrorSpec(
            "PSN_NOT_INSURED",
            _B,
            "人员 {psn_no} 未参加险种 {insutype}，已参保险种：{have}",
            "person {psn_no} is not insured under {insutype}; insured under: {have}",
        ),
        ErrorSpec(
            "PSN_INSU_SUSPENDED",
            _B,
            "人员 {psn_no} 险种 {insutype} 参保状态为 {stas}（非正常参保），不能享受待遇",
            "person {psn_no}'s {insutype} insurance has status {stas} (not active); no benefits",
        ),
        # -- visits
        ErrorSpec("MDTRT_NOT_FOUND", _B, "就诊 {mdtrt_id} 不存在", "visit {mdtrt_id} does not exist"),
        ErrorSpec(
            "MDTRT_NOT_YOURS",
            _B,
            "就诊 {mdtrt_id} 不属于机构 {code}",
            "visit {mdtrt_id} belongs to another institution, not {code}",
        ),
        ErrorSpec(
            "MDTRT_MISMATCH",
            _B,
            "{field} {value} 与就诊 {mdtrt_id} 登记的 {expected} 不一致",
            "{field} {value} does not match visit {mdtrt_id}, registered with {expected}",
        ),
        ErrorSpec("MDTRT_CANCELLED", _B, "就诊 {mdtrt_id} 已撤销挂号", "visit {mdtrt_id} was cancelled"),
        ErrorSpec(
            "MDTRT_DUPLICATE",
            _B,
            "院内流水号 ipt_otp_no {value} 已有有效就诊 {mdtrt_id}",
            "ipt_otp_no {value} already has an open visit {mdtrt_id}",
        ),
        ErrorSpec(
            "MDTRT_HAS_SETTLEMENT",
            _B,
            "就诊 {mdtrt_id} 有未撤销的结算 {setl_id}，请先 2208 撤销结算",
            "visit {mdtrt_id} has settlement {setl_id}; cancel it with 2208 first",
        ),
        ErrorSpec(
            "MDTRT_HAS_FEES",
            _B,
            "就诊 {mdtrt_id} 还有 {count} 条未撤销的费用明细，请先 2205 撤销明细",
            "visit {mdtrt_id} still has {count} fee items; cancel them with 2205 first",
        ),
        ErrorSpec(
            "MED_TYPE_UNSUPPORTED",
            _B,
            "参保地 {admdvs} 险种 {insutype} 无医疗类别 {med_type} 的待遇政策",
            "insured place {admdvs} has no benefit policy for insutype {insutype}, med_type {med_type}",
        ),
        # -- fee details
        ErrorSpec(
            "FEE_DUPLICATE",
            _B,
            "费用明细流水号 {feedetl_sn} 在本次就诊中已存在",
            "feedetl_sn {feedetl_sn} already exists in this visit",
        ),
        ErrorSpec(
            "FEE_NOT_IN_CATALOGUE",
            _B,
            "明细 {feedetl_sn}：医疗目录编码 {code} 不在就医地 {admdvs} 医保目录中",
            "item {feedetl_sn}: med_list_codg {code} is not in the catalogue of treatment place {admdvs}",
        ),
        ErrorSpec(
            "FEE_AMOUNT_MISMATCH",
            _B,
            "明细 {feedetl_sn}：金额 {amount} ≠ 数量 {cnt} × 单价 {pric} = {expected}",
            "item {feedetl_sn}: det_item_fee_sumamt {amount} ≠ cnt {cnt} × pric {pric} = {expected}",
        ),
        ErrorSpec(
            "FEE_BATCH_SETTLED",
            _B,
            "收费批次 {chrg_bchno} 已结算（{setl_id}），新明细请使用新的收费批次号",
            "charge batch {chrg_bchno} is already settled ({setl_id}); upload new items under a new chrg_bchno",
        ),
        ErrorSpec(
            "FEE_NONE_TO_CANCEL",
            _B,
            "就诊 {mdtrt_id} 没有符合条件的未结算明细（{what}）",
            "visit {mdtrt_id} has no unsettled fee items matching {what}",
        ),
        # -- settlement
        ErrorSpec(
            "SETL_BATCH_SETTLED",
            _B,
            "就诊 {mdtrt_id} 收费批次 {chrg_bchno} 已结算（{setl_id}），不能重复结算",
            "visit {mdtrt_id} charge batch {chrg_bchno} is already settled ({setl_id}); it cannot be settled twice",
        ),
        ErrorSpec(
            "SETL_NO_FEES",
            _B,
            "就诊 {mdtrt_id} 收费批次 {chrg_bchno} 没有未结算的费用明细",
            "visit {mdtrt_id} has no unsettled fee items in charge batch {chrg_bchno}",
        ),
        ErrorSpec(
            "SETL_SUMAMT_MISMATCH",
            _B,
            "medfee_sumamt {value} 与已上传明细合计 {expected} 不一致",
            "medfee_sumamt {value} differs from the uploaded items' total {expected}",
        ),
        ErrorSpec("SETL_NOT_FOUND", _B, "结算 {setl_id} 不存在", "settlement {setl_id} does not exist"),
        ErrorSpec(
            "SETL_NOT_YOURS",
            _B,
            "结算 {setl_id} 由其他机构办理，本机构 {code} 不能撤销",
            "settlement {setl_id} was made by another institution; {code} cannot cancel it",
        ),
        ErrorSpec(
            "SETL_ALREADY_CANCELLED",
            _B,
            "结算 {setl_id} 已于 {time} 撤销（撤销流水 {rev_setl_id}）",
            "settlement {setl_id} was already cancelled at {time} (reversal {rev_setl_id})",
        ),
        # -- internal
        ErrorSpec(
            "INTERNAL", _I, "平台内部错误，请稍后重试（参考号 {ref}）", "internal error; retry later (reference {ref})"
        ),
    ]
}


class Refusal(Exception):
    """A classified refusal. `field` is the path of the offending field in the national message."""

    def __init__(self, code: str, field: str = "", /, **params: object) -> None:
        self.spec = CATALOGUE[code]
        self.field = field
        self.params = {"field": field, **params}
        super().__init__(self.message_en)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def category(self) -> Category:
        return self.spec.category

    @property
    def message_zh(self) -> str:
        return self.spec.zh.format(**self.params)

    @property
    def message_en(self) -> str:
        return self.spec.en.format(**self.params)

    @property
    def err_msg(self) -> str:
        """The national err_msg: code, plain Chinese, and the field path."""
        where = f"（字段 {self.field}）" if self.field else ""
        return f"[{self.code}] {self.message_zh}{where}"
