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
    OVERLOAD = "overload"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    code: str
    category: Category
    zh: str  # str.format template
    en: str


_E, _A, _B, _I = Category.ENVELOPE, Category.AUTHENTICATION, Category.BUSINESS, Category.INTERNAL
_R, _O = Category.REGION_UNAVAILABLE, Category.OVERLOAD

# One line per error, so the catalogue reads as a table.
# fmt: off
CATALOGUE: dict[str, ErrorSpec] = {
    spec.code: spec
    for spec in [
        ErrorSpec("ENV_REQUIRED", _E, "{field} 必须填写", "{field} is required"),
        ErrorSpec("ENV_FORMAT", _E, "{field} 格式错误：{rule}", "{field} is malformed: {rule}"),
        ErrorSpec("ENV_CHARACTER", _E, "{field} 第 {position} 个字符为{what} {codepoint}，此字段不能包含这类字符", "{field} has {what_en} ({codepoint}) at character {position}, which this field may not contain"),
        ErrorSpec("ENV_TOO_LONG", _E, "{field} 超长：最多 {max} 个字符", "{field} is too long: at most {max} characters"),
        ErrorSpec("ENV_TOO_MANY_ITEMS", _E, "{field} 有 {count} 条明细，一次交易最多 {max} 条：请分多次交易上传", "{field} has {count} items; one call may carry at most {max}: send them in several calls"),
        ErrorSpec("ENV_CODE", _E, "{field} 代码值 {value} 无效，可选值：{allowed}", "{field} has invalid code {value}; allowed: {allowed}"),
        ErrorSpec("ENV_MSGID_FORMAT", _E, "msgid 应为 机构编号(12位)+yyyyMMddHHmmss+4位顺序号，收到 {value}", "msgid must be institution code (12) + yyyyMMddHHmmss + 4-digit sequence; got {value}"),
        ErrorSpec("ENV_MSGID_INSTITUTION", _E, "msgid 前12位 {prefix} 与 fixmedins_code {code} 不一致", "msgid starts with {prefix}, not with fixmedins_code {code}"),
        ErrorSpec("ENV_INFNO_MISMATCH", _E, "infno {value} 与所调用交易 {expected} 不符", "infno {value} does not match the called transaction {expected}"),
        ErrorSpec("ENV_INF_TIME", _E, "inf_time {value} 与平台时间 {now} 相差超过 {minutes} 分钟", "inf_time {value} is more than {minutes} minutes from platform time {now}"),
        ErrorSpec("ENV_MDTRTAREA", _E, "mdtrtarea_admvs {value} 与机构所在医保区划 {expected} 不一致", "mdtrtarea_admvs {value} is not the institution's region {expected}"),
        ErrorSpec("ENV_INSUPLC", _E, "insuplc_admdvs {value} 与人员 {psn_no} 的参保地 {expected} 不一致（请取 1101 的 insuinfo.insuplc_admdvs）", "insuplc_admdvs {value} is not person {psn_no}'s insured place {expected} (take it from 1101 insuinfo)"),
        ErrorSpec("ENV_MSGID_REUSED", _E, "msgid {msgid} 已用于内容不同的报文，重发请保持报文一致，新交易请用新 msgid", "msgid {msgid} was already used with a different body; resend the same body or use a new msgid"),
        ErrorSpec("AUTH_INSTITUTION_UNKNOWN", _A, "定点医药机构 {code} 不存在", "institution {code} is unknown"),
        ErrorSpec("AUTH_INSTITUTION_DISABLED", _A, "定点医药机构 {code} 已暂停医保结算", "institution {code} is disabled"),
        ErrorSpec("AUTH_INSTITUTION_TYPE", _A, "机构 {code} 为{kind}，不能办理交易 {infno}", "institution {code} is a {kind_en} and cannot call {infno}"),
        ErrorSpec("AUTH_SIGN_NO_UNKNOWN", _A, "sign_no {value} 不是 9001 签到发给机构 {code} 的签到号，请先签到", "sign_no {value} was not issued by 9001 to institution {code}; sign in first"),
        ErrorSpec("AUTH_SIGNED_OUT", _A, "sign_no {value} 已于 {time} 签退，请重新签到", "sign_no {value} was signed out at {time}; sign in again"),
        ErrorSpec("AUTH_CERT_INSTITUTION", _A, "客户端证书属于机构 {cert}，不能以机构 {code} 的身份办理交易", "the client certificate acts for institution {cert}; it cannot act as institution {code}"),
        ErrorSpec("AUTH_CERT_NO_INSTITUTION", _A, "客户端证书 {subject} 未载明定点医药机构（主题备用名称 URI urn:yibao:fixmedins:机构编号），不能办理交易", "client certificate {subject} names no institution (subject alternative name URI urn:yibao:fixmedins:<fixmedins_code>); it cannot call transactions"),
        ErrorSpec("PSN_CERT_UNKNOWN", _B, "未找到就诊凭证：类型 {cert_type} 号码 {value}", "no person holds certificate type {cert_type} number {value}"),
        ErrorSpec("PSN_CERT_MISMATCH", _B, "{field} 与就诊凭证所属人员不符：{detail}", "{field} does not match the certificate holder: {detail}"),
        ErrorSpec("PSN_NOT_FOUND", _B, "人员编号 {psn_no} 不存在", "person {psn_no} does not exist"),
        ErrorSpec("PSN_NOT_INSURED", _B, "人员 {psn_no} 未参加险种 {insutype}，已参保险种：{have}", "person {psn_no} is not insured under {insutype}; insured under: {have}"),
        ErrorSpec("PSN_INSU_SUSPENDED", _B, "人员 {psn_no} 险种 {insutype} 参保状态为 {stas}（非正常参保），不能享受待遇", "person {psn_no}'s {insutype} insurance has status {stas} (not active); no benefits"),
        ErrorSpec("MDTRT_NOT_FOUND", _B, "就诊 {mdtrt_id} 不存在", "visit {mdtrt_id} does not exist"),
        ErrorSpec("MDTRT_NOT_YOURS", _B, "就诊 {mdtrt_id} 不属于机构 {code}", "visit {mdtrt_id} belongs to another institution, not {code}"),
        ErrorSpec("MDTRT_MISMATCH", _B, "{field} {value} 与就诊 {mdtrt_id} 登记的 {expected} 不一致", "{field} {value} does not match visit {mdtrt_id}, registered with {expected}"),
        ErrorSpec("MDTRT_CANCELLED", _B, "就诊 {mdtrt_id} 已撤销挂号", "visit {mdtrt_id} was cancelled"),
        ErrorSpec("MDTRT_DUPLICATE", _B, "院内流水号 ipt_otp_no {value} 已有有效就诊 {mdtrt_id}", "ipt_otp_no {value} already has an open visit {mdtrt_id}"),
        ErrorSpec("MDTRT_HAS_SETTLEMENT", _B, "就诊 {mdtrt_id} 有未撤销的结算 {setl_id}，请先 2208 撤销结算", "visit {mdtrt_id} has settlement {setl_id}; cancel it with 2208 first"),
        ErrorSpec("MDTRT_HAS_FEES", _B, "就诊 {mdtrt_id} 还有 {count} 条未撤销的费用明细，请先 2205 撤销明细", "visit {mdtrt_id} still has {count} fee items; cancel them with 2205 first"),
        ErrorSpec("MED_TYPE_UNSUPPORTED", _B, "参保地 {admdvs} 险种 {insutype} 无医疗类别 {med_type} 的待遇政策", "insured place {admdvs} has no benefit policy for insutype {insutype}, med_type {med_type}"),
        ErrorSpec("FEE_DUPLICATE", _B, "费用明细流水号 {feedetl_sn} 在本次就诊中已存在", "feedetl_sn {feedetl_sn} already exists in this visit"),
        ErrorSpec("FEE_NOT_IN_CATALOGUE", _B, "明细 {feedetl_sn}：医疗目录编码 {code} 不在就医地 {admdvs} 医保目录中", "item {feedetl_sn}: med_list_codg {code} is not in the catalogue of treatment place {admdvs}"),
        ErrorSpec("FEE_AMOUNT_MISMATCH", _B, "明细 {feedetl_sn}：金额 {amount} ≠ 数量 {cnt} × 单价 {pric} = {expected}", "item {feedetl_sn}: det_item_fee_sumamt {amount} ≠ cnt {cnt} × pric {pric} = {expected}"),
        ErrorSpec("FEE_BATCH_SETTLED", _B, "收费批次 {chrg_bchno} 已结算（{setl_id}），新明细请使用新的收费批次号", "charge batch {chrg_bchno} is already settled ({setl_id}); upload new items under a new chrg_bchno"),
        ErrorSpec("FEE_BATCH_DISEASE", _B, "同一收费批次 {chrg_bchno} 的病种编号必须一致：明细 {feedetl_sn} 为 {dise_codg}，批次为 {expected}", "all items of charge batch {chrg_bchno} must carry the same dise_codg: item {feedetl_sn} has {dise_codg}, the batch {expected}"),
        ErrorSpec("FEE_NONE_TO_CANCEL", _B, "就诊 {mdtrt_id} 没有符合条件的未结算明细（{what}）", "visit {mdtrt_id} has no unsettled fee items matching {what}"),
        ErrorSpec("SETL_BATCH_SETTLED", _B, "就诊 {mdtrt_id} 收费批次 {chrg_bchno} 已结算（{setl_id}），不能重复结算", "visit {mdtrt_id} charge batch {chrg_bchno} is already settled ({setl_id}); it cannot be settled twice"),
        ErrorSpec("STAY_STATUS", _B, "住院 {mdtrt_id} 当前为{status}，此交易要求{expected}", "stay {mdtrt_id} is {status}; this transaction needs it {expected}"),
        ErrorSpec("STAY_DATES", _B, "出院时间 {endtime} 早于入院时间 {begntime}", "discharge time {endtime} is before admission time {begntime}"),
        ErrorSpec("FEE_REFUND_UNKNOWN", _B, "退费明细 {feedetl_sn} 的原费用流水号 {init_feedetl_sn} 不是本次住院的收费明细", "refund line {feedetl_sn}: init_feedetl_sn {init_feedetl_sn} is not a charged item of this stay"),
        ErrorSpec("FEE_REFUND_TOO_MUCH", _B, "退费明细 {feedetl_sn} 退 {amount}，超过原明细 {init_feedetl_sn} 剩余金额 {left}", "refund line {feedetl_sn} refunds {amount}, more than the {left} left of item {init_feedetl_sn}"),
        ErrorSpec("SETL_CHRONIC_MED_TYPE", _B, "收费批次 {chrg_bchno} 的明细带门诊慢特病病种 {dise_codg}，应按 med_type 14 结算（收到 {med_type}）", "charge batch {chrg_bchno} carries chronic disease {dise_codg}; settle it with med_type 14, not {med_type}"),
        ErrorSpec("SETL_CHRONIC_NO_DISEASE", _B, "med_type 14 门诊慢特病结算：收费批次 {chrg_bchno} 的明细未填病种编码 dise_codg", "med_type 14 (chronic disease): the items of charge batch {chrg_bchno} carry no dise_codg"),
        ErrorSpec("SETL_CHRONIC_NOT_FILED", _B, "人员 {psn_no} 未办理病种 {dise_codg} 的门诊慢特病备案（2503），已备案病种：{filed}", "person {psn_no} has no chronic-disease filing (2503) for {dise_codg}; filed: {filed}"),
        ErrorSpec("SETL_TOO_MANY_ITEMS", _B, "{field}：就诊 {mdtrt_id}{scope}的未结算明细将有 {count} 条，一次结算最多 {max} 条：{advice}", "{field}: visit {mdtrt_id}{scope_en} would have {count} unsettled items; one settlement may cover at most {max}: {advice_en}"),
        ErrorSpec("SETL_NO_FEES", _B, "就诊 {mdtrt_id} 收费批次 {chrg_bchno} 没有未结算的费用明细", "visit {mdtrt_id} has no unsettled fee items in charge batch {chrg_bchno}"),
        ErrorSpec("SETL_SUMAMT_MISMATCH", _B, "medfee_sumamt {value} 与已上传明细合计 {expected} 不一致", "medfee_sumamt {value} differs from the uploaded items' total {expected}"),
        ErrorSpec("SETL_NOT_FOUND", _B, "结算 {setl_id} 不存在", "settlement {setl_id} does not exist"),
        ErrorSpec("SETL_NOT_YOURS", _B, "结算 {setl_id} 由其他机构办理，本机构 {code} 不能撤销", "settlement {setl_id} was made by another institution; {code} cannot cancel it"),
        ErrorSpec("SETL_ALREADY_CANCELLED", _B, "结算 {setl_id} 已于 {time} 撤销（撤销流水 {rev_setl_id}）", "settlement {setl_id} was already cancelled at {time} (reversal {rev_setl_id})"),
        ErrorSpec("HTTP_JSON_MALFORMED", _E, "请求体不是合法的 JSON（UTF-8）：{detail}", "the request body is not valid JSON (UTF-8): {detail}"),
        ErrorSpec("HTTP_BODY_NOT_OBJECT", _E, "请求体应为 JSON 对象 {{\"infno\": …, \"input\": {{…}}}}，收到{kind}", "the request body must be a JSON object {{\"infno\": …, \"input\": {{…}}}}; got {kind_en}"),
        ErrorSpec("HTTP_BODY_TOO_LARGE", _E, "请求体超过 {max} 字节，请分批上传", "the request body exceeds {max} bytes; upload in smaller batches"),
        ErrorSpec("HTTP_CONTENT_TYPE", _E, "请求体应为 JSON（Content-Type: application/json;charset=UTF-8），收到 Content-Type {value}", "the request body must be JSON (Content-Type: application/json;charset=UTF-8); got Content-Type {value}"),
        ErrorSpec("HTTP_METHOD", _E, "接口地址只接受 POST 请求，收到 {method}", "interface addresses accept POST only; got {method}"),
        ErrorSpec("HTTP_PATH_UNKNOWN", _E, "请求地址 {path} 不是医保平台接口地址（应为 …/fsi/api/服务/方法、…/交易编号 或 …/fsi/api/callFsiService/callService）", "{path} is not an interface address (use …/fsi/api/service/method, …/<infno> or …/fsi/api/callFsiService/callService)"),
        ErrorSpec("HTTP_INFNO_UNKNOWN", _E, "交易编号 {value} 不存在或本平台暂未开放，已开放：{served}", "transaction {value} does not exist or is not served here; served: {served}"),
        ErrorSpec("HTTP_INFNO_PATH_MISMATCH", _E, "报文 infno {value} 与请求地址 {path} 对应的交易 {expected} 不符", "the envelope's infno {value} does not match transaction {expected} of address {path}"),
        ErrorSpec("HTTP_WRONG_TYPE", _E, "{field} 类型错误：应为{expected}，收到{got}", "{field} has the wrong type: expected {expected_en}, got {got_en}"),
        ErrorSpec("HTTP_CLIENT_CONNECTIONS", _O, "来自 {client} 的 {count} 个连接都在办理交易或接收应答，每个地址最多 {max} 个：请等已发出的交易答复后再发新交易", "the {count} connections from {client} are all carrying out calls or receiving their answers, and one address may hold at most {max}: wait for the answers to the calls sent before sending more"),
        ErrorSpec("HTTP_CONNECTIONS_BUSY", _O, "本工作进程的 {max} 个连接都在办理交易，新连接未受理：请稍后重试", "all {max} connections of this worker process are carrying out calls; the new connection was not taken: retry shortly"),
        ErrorSpec("HTTP_NUMBER_RANGE", _E, "{field} 数值 {value} 超出范围，无法写成普通小数", "{field} number {value} is out of range for a plain decimal"),
        ErrorSpec("AUTH_TIF_MISSING", _A, "机构 {code} 已启用接口签名，{carrier}缺少 {header}", "institution {code} signs its calls; the request lacks {carrier_en} {header}"),
        ErrorSpec("AUTH_TIF_FORMAT", _A, "{carrier} {header} 格式错误：{rule}", "{carrier_en} {header} is malformed: {rule_en}"),
        ErrorSpec("AUTH_TIF_PAASID", _A, "x-tif-paasid {value} 不是机构 {code} 登记的应用账号", "x-tif-paasid {value} is not the application account registered for institution {code}"),
        ErrorSpec("AUTH_TIF_SIGNATURE", _A, "x-tif-signature 校验失败：{code} 的签名算法为 {algorithm}，应为 {formula} 的小写十六进制（规范请求见 docs/security.md）", "x-tif-signature is wrong: {code} signs with {algorithm}, lower-hex {formula} (the canonical request: docs/security.md)"),
        ErrorSpec("AUTH_TIF_STALE", _A, "x-tif-timestamp {value} 与平台时间 {now} 相差超过 {seconds} 秒", "x-tif-timestamp {value} is more than {seconds} seconds from platform time {now}"),
        ErrorSpec("AUTH_TIF_NONCE_REUSED", _A, "x-tif-nonce {value} 在 {seconds} 秒内已用过，每次请求须使用新的随机串", "x-tif-nonce {value} was already used within {seconds} seconds; send a fresh nonce with every request"),
        ErrorSpec("AUTH_NONCE_CACHE_FULL", _O, "{code} 在 {seconds} 秒内已发出 {max} 个签名请求，平台暂不受理更多，本次请求未执行：请稍后以新的 x-tif-nonce 重发", "{code} sent {max} signed requests within {seconds} seconds and the platform takes no more for now; this request was not carried out: resend it shortly with a fresh x-tif-nonce"),
        ErrorSpec("AUTH_NO_KEY", _A, "机构 {code} 未在本平台的密钥文件中登记，不受理其请求（请向平台管理员申请密钥）", "institution {code} has no key in this platform's keys file and its calls are not taken (ask the platform's administrator for a key)"),
        ErrorSpec("AUTH_OPERATOR_REQUIRED", _A, "{infno} 是平台运维交易，须以运维凭证签名（{carrier} {header} 及该运维账号密钥的签名），机构编码不能代替", "{infno} is a platform operator transaction: it must be signed with an operator credential ({carrier_en} {header} and a signature by that operator's secret); an institution code is not enough"),
        ErrorSpec("AUTH_OPERATOR_UNKNOWN", _A, "运维账号 {value} 未在密钥文件中登记", "operator {value} is not in the keys file"),
        ErrorSpec("AUTH_OPERATOR_INSTITUTION", _A, "运维账号 {value} 不能代表机构 {code} 办理交易", "operator {value} may not act for institution {code}"),
        ErrorSpec("REGION_MAINTENANCE", _R, "{place} {admdvs} {name} 正在系统维护，预计 {until} 恢复：{reason}", "{place_en} {admdvs} {name} is down for maintenance until {until}: {reason}"),
        ErrorSpec("REGION_UNREACHABLE", _R, "{place} {admdvs} {name} 网络不通（自 {since}）：{reason}，请稍后重试；或由参保人自费结算后持发票向参保地申请手工报销（Y2801）", "{place_en} {admdvs} {name} is unreachable since {since}: {reason}; retry later, or let the person pay in full and claim manual reimbursement at the insured place with the invoice (Y2801)"),
        ErrorSpec("REGION_NOT_FOUND", _B, "医保区划 {admdvs} 不存在，本平台的区划：{known}", "region {admdvs} does not exist; regions here: {known}"),
        ErrorSpec("AUTH_NOT_OPERATOR", _A, "机构 {code} 不是平台运维机构，不能办理 {infno}", "institution {code} is not a platform operator and cannot call {infno}"),
        ErrorSpec("FILING_NOT_FOUND", _B, "备案 {sn} 不存在或不属于人员 {psn_no}", "filing {sn} does not exist or is not person {psn_no}'s"),
        ErrorSpec("FAMILY_CONSENT", _B, "{field} 应为 1：家庭共济账户的设立、变更、撤销须经持有人 {psn_no} 本人授权", "{field} must be 1: setting up, changing or cancelling a family account needs the holder {psn_no}'s consent"),
        ErrorSpec("FAMILY_HOLDER", _B, "人员 {psn_no} 不能设立家庭共济账户：{reason}", "person {psn_no} cannot hold a family account: {reason_en}"),
        ErrorSpec("FAMILY_MEMBER_PROVINCE", _B, "人员 {psn_no} 未在持有人参保省份（{prov}）参加基本医疗保险，不能加入家庭共济账户", "person {psn_no} is not insured in the holder's province ({prov}) and cannot join a family account"),
        ErrorSpec("FAMILY_ALREADY", _B, "人员 {psn_no} 已属于家庭共济账户 {fam}：家庭成员之间只能设立一个家庭共济账户", "person {psn_no} already belongs to family account {fam}: one account per family"),
        ErrorSpec("FAMILY_AMOUNT", _B, "划入金额 {amount} 超过持有人个人账户超出 {floor} 的部分（余额 {balance}，可划 {available}）", "the amount {amount} exceeds the part of the holder's personal account above {floor} (balance {balance}, available {available})"),
        ErrorSpec("FAMILY_NOT_FOUND", _B, "未找到人员 {psn_no} 的有效家庭共济账户{fam}", "person {psn_no} has no active family account{fam}"),
        ErrorSpec("FAMILY_MEMBER_RULE", _B, "{field}：{rule}", "{field}: {rule_en}"),
        ErrorSpec("FILING_NOT_ACTIVE", _B, "备案 {sn} {status}（自 {since} 起不再有效），不能{action}", "filing {sn} is {status_en} (no longer valid from {since}); it cannot be {action_en}"),
        ErrorSpec("FILING_WRONG_TXN", _B, "备案 {sn} 由 {source} 办理，请用 {expected} {action}", "filing {sn} was made with {source}; {action_en} it with {expected}"),
        ErrorSpec("FILING_LOCKED", _B, "长期居住备案 {sn}（{name}）于 {begndate} 生效，生效后 6 个月内不得{action}，最早可于 {first_allowed} 办理（今天 {today}）", "long-term filing {sn} ({name}) took effect on {begndate} and cannot be {action_en} within 6 months of taking effect: not before {first_allowed} (today {today})"),
        ErrorSpec("FILING_COMMITMENT_BANNED", _B, "人员 {psn_no} 的承诺制备案 {sn} 因材料{reason}于 {begndate} 被取消，{begndate} 至 {enddate} 的 12 个月内不得以承诺方式办理异地就医备案，最早可于 {first_allowed} 办理（提交完整材料可正常备案）", "person {psn_no}'s commitment filing {sn} was cancelled on {begndate} (material {reason_en}): no commitment filing from {begndate} to {enddate} (12 months), not before {first_allowed}; a filing with full material is possible"),
        ErrorSpec("FILING_ACTIVE_EXISTS", _B, "人员 {psn_no} 险种 {insutype} 已有异地就医备案 {sn}（{name}，{area}，{begndate} 至 {enddate}），同一时间只能有一条有效备案，请先变更（Y2505）或撤销（{revoke}）", "person {psn_no} ({insutype}) already has cross-region filing {sn} ({name}, {area}, {begndate} to {enddate_en}); one filing at a time: change it (Y2505) or revoke it ({revoke}) first"),
        ErrorSpec("FILING_LOCAL_PLACE", _B, "备案就医地 {area} 与参保地 {insuplc} 属同一城市，不是异地就医，无需异地就医备案", "filed place {area} is in the insured city {insuplc}: that is no cross-region care and needs no filing"),
        ErrorSpec("FILING_KIND_BIZ", _B, "业务申请类型 {biz} {biz_name} 只能办理备案类型 {allowed}，收到 fil_type {kind}", "biz_appy_type {biz} ({biz_name}) takes fil_type {allowed}; got {kind}"),
        ErrorSpec("FILING_BEGNDATE_PAST", _B, "备案开始日期 {begndate} 早于办理日期 {today}，备案不能追溯；出院结算前补办的备案自动适用于已入院的住院", "begndate {begndate} is before today {today}: filings are not backdated; a filing made before the discharge settlement covers a stay already admitted"),
        ErrorSpec("FILING_DATES", _B, "结束日期 {enddate} 早于开始日期 {begndate}", "enddate {enddate} is before begndate {begndate}"),
        ErrorSpec("FILING_CHRONIC_CROSS_NO_DISEASE", _B, "门诊慢特病异地就医登记（biz_appy_type 01）须先有有效的门诊慢特病备案（2503）：人员 {psn_no} 险种 {insutype} 没有", "a chronic-disease cross-region filing (biz_appy_type 01) needs a chronic-disease filing (2503) in force first; person {psn_no}, insutype {insutype} has none"),
        ErrorSpec("FILING_REFERRAL_TOO_LONG", _B, "转诊转院备案自 {begndate} 起最长有效 {months} 个月，至 {last}；结束日期 {enddate} 超出，期满后请重新办理", "a referral from {begndate} holds at most {months} months, to {last}; enddate {enddate} is later: refer again when it ends"),
        ErrorSpec("FILING_LONG_TERM_ENDDATE", _B, "长期居住备案（{kind} {name}）长期有效至变更为止，不能填写结束日期（收到 {enddate}）", "a long-term filing ({kind} {name}) is valid until changed and takes no enddate (got {enddate})"),
        ErrorSpec("FILING_COMMITMENT_KIND", _B, "承诺制备案只适用于长期居住和异地就读学生备案（类型 11/12/13/19/31），收到 {kind} {name}", "commitment filing is for long-term residence and students only (types 11/12/13/19/31); got {kind} ({name})"),
        ErrorSpec("FILING_PSN_TYPE", _B, "备案类型 {kind} {name} 要求{need}，人员 {psn_no} 为险种 {insutype}、人员类别 {psn_type}", "filing type {kind} ({name}) requires {need_en}; person {psn_no} has insutype {insutype}, psn_type {psn_type}"),
        ErrorSpec("FILING_NOT_COMMITMENT", _B, "备案 {sn} 不是承诺制备案，没有待审核的承诺材料", "filing {sn} is no commitment filing; there is no material to review"),
        ErrorSpec("FILING_MATERIAL_DONE", _B, "备案 {sn} 的承诺材料已于 {date} 审核确认，不能再次确认", "filing {sn}'s material was already confirmed on {date}"),
        ErrorSpec("FILING_REFL_TYPE", _B, "转院类型 refl_type {value}（{meaning}）与转往地 {area}、参保地 {insuplc} 不符", "refl_type {value} ({meaning_en}) does not fit referral place {area} and insured place {insuplc}"),
        ErrorSpec("FILING_MEDINS_PLACE", _B, "机构 {code} 位于 {admdvs}，不在备案就医地 {area}", "institution {code} is in {admdvs}, not in the filed place {area}"),
        ErrorSpec("FILING_INSU_OPTINS", _B, "insu_optins {value} 不是人员 {psn_no} 的参保地 {expected}", "insu_optins {value} is not person {psn_no}'s insured place {expected}"),
        ErrorSpec("FILING_CHRONIC_EXISTS", _B, "人员 {psn_no} 险种 {insutype} 已有病种 {code} 的慢特病备案 {sn}（{begndate} 至 {enddate}）", "person {psn_no} ({insutype}) already has chronic-disease filing {sn} for {code} ({begndate} to {enddate_en})"),
        ErrorSpec("FILING_CHRONIC_NOT_LISTED", _B, "参保地 {admdvs} 险种 {insutype} 的门诊慢特病病种范围不含 {code}，可备案病种：{listed}", "the chronic-disease list of insured place {admdvs} for {insutype} does not include {code}; listed: {listed}"),
        ErrorSpec("FILING_NO_CHANGE", _B, "变更申请与备案 {sn} 的现有内容相同，没有可变更的内容", "the change request repeats filing {sn} as it is; nothing to change"),
        ErrorSpec("SETL_RESETTLE_BENEFIT_CHANGE", _B, "这些费用已在异地就医结算 {setl_id}（备案 {old}）中结算后退费，不能改按另一备案（{new}）重新结算：异地就医直接结算完成后不得因待遇差异退费重结（抚顺办法第二十六条）", "these items were settled across regions in {setl_id} (filing {old_en}) and refunded; they cannot be settled again under another filing ({new_en}): a settled cross-region case is not refunded to change the benefit standard"),
        ErrorSpec("SETL_REFUND_BENEFIT_CHANGE", _B, "结算 {setl_id} 为异地就医直接结算，不能因待遇差异（退费原因 03 待遇变更）办理退费", "settlement {setl_id} is a cross-region direct settlement and cannot be refunded because benefits differ (refd_rea 03)"),
        ErrorSpec("REFUND_ITEM_UNKNOWN", _B, "退费明细 {feedetl_sn} 不是结算 {setl_id} 的收费明细", "item {feedetl_sn} is not an item of settlement {setl_id}"),
        ErrorSpec("REFUND_ITEM_REPEATED", _B, "退费明细 {feedetl_sn} 重复", "item {feedetl_sn} is listed twice"),
        ErrorSpec("REFUND_KIND", _B, "结算 {setl_id} 为{kind}结算，部分退费只适用于门诊和药店结算（住院请用 2301 退费明细后重新结算）", "settlement {setl_id} is {kind_en}; a partial refund is for outpatient and pharmacy settlements only (inpatient: refund lines with 2301)"),
        ErrorSpec("REVERSAL_NOT_SUPPORTED", _B, "交易 {oinfno} 不能冲正，可冲正的交易：{allowed}", "transaction {oinfno} cannot be reversed; reversible: {allowed}"),
        ErrorSpec("REVERSAL_NOT_YOURS", _B, "原报文 {omsgid} 不是本机构 {code} 发出的报文", "message {omsgid} was not sent by institution {code}"),
        ErrorSpec("REVERSAL_INFNO_MISMATCH", _B, "原报文 {omsgid} 是交易 {actual}，不是 oinfno {value}", "message {omsgid} is transaction {actual}, not oinfno {value}"),
        ErrorSpec("REVERSAL_PSN_MISMATCH", _B, "psn_no {value} 与原报文 {omsgid} 的人员 {expected} 不一致", "psn_no {value} is not the person {expected} of message {omsgid}"),
        ErrorSpec("REVERSAL_ORIGINAL_REFUSED", _B, "原报文 {omsgid} 已被拒绝，未产生任何变更，无需冲正：{err}", "message {omsgid} was refused and changed nothing; there is nothing to reverse: {err}"),
        ErrorSpec("REVERSAL_ALREADY_DONE", _B, "原报文 {omsgid} 已于 {time} 冲正（冲正报文 {rev_msgid}）{what}", "message {omsgid} was already reversed at {time} by {rev_msgid}{what_en}"),
        ErrorSpec("REVERSAL_BLOCKED", _B, "原报文 {omsgid}（{oinfno}）不能冲正：{reason}", "message {omsgid} ({oinfno}) cannot be reversed: {reason_en}"),
        ErrorSpec("MSG_REVERSED", _B, "报文 {msgid} 已于 {time} 执行，并已于 {rev_time} 被冲正（冲正报文 {rev_msgid}），可用 Y5203 查询原结果", "message {msgid} executed at {time} and was reversed at {rev_time} by {rev_msgid}; Y5203 shows its result"),
        ErrorSpec("MSG_TOMBSTONED", _B, "报文 {msgid} 在到达前已于 {rev_time} 被冲正（冲正报文 {rev_msgid}），未执行；如仍需办理，请用新的 msgid 重新发起", "message {msgid} was reversed at {rev_time} by {rev_msgid} before it arrived and was not executed; to do it after all, send it under a new msgid"),
        ErrorSpec("RECON_OPTINS", _B, "setl_optins {value} 不是机构 {code} 的结算经办机构（医保区划 {expected}）", "setl_optins {value} is not the clearing agency of institution {code} (region {expected})"),
        ErrorSpec("RECON_DATES", _B, "对账结束日期 {enddate} 早于开始日期 {begndate}", "statement end {enddate} is before its beginning {begndate}"),
        ErrorSpec("QUERY_RANGE", _E, "{field}：查询时间段 {begin} 至 {end} 无效，{rule}", "{field}: the query's time range {begin} to {end} is invalid: {rule_en}"),
        ErrorSpec("QUERY_TOO_MANY_ROWS", _B, "查询结果超过 {max} 条：请缩小查询时间段或加上筛选条件", "the query finds more than {max} rows: narrow its time range or add a filter"),
        ErrorSpec("QUERY_INSTITUTION_NOT_FOUND", _B, "定点医药机构 {code} 不存在", "institution {code} does not exist"),
        ErrorSpec("DICT_TYPE_NOT_FOUND", _B, "字典类型 {type} 不存在，可查询：{known}", "code list {type} does not exist; lists here: {known}"),
        ErrorSpec("CLEARING_MONTH_OPEN", _B, "{setlym} 月尚未结束（{first} 至 {last}），月末之后才能清算", "month {setlym} ({first} to {last}) is not over; it can be cleared once it is"),
        ErrorSpec("CLEARING_DISAGREE", _I, "{setlym} 月 就医地 {treatment} 与参保地 {insured} 的清算金额三方不一致：{figures}，不予清算", "the three parties disagree on {setlym} between treatment place {treatment} and insured place {insured}: {figures}; not cleared"),
        ErrorSpec("CLR_APPY_DATE", _E, "{field} {value} 不在清算年月 {setlym} 内", "{field} {value} is not in the clearing month {setlym}"),
        ErrorSpec("CLR_APPY_MISMATCH", _B, "{field} 申报 {value}，平台记录为 {expected}（机构 {code} 清算类别 {clr_type} 在 {begndate} 至 {enddate} 的结算与退费记录），请先对账（3201/3202）", "{field} declares {value}; the platform's records give {expected} (institution {code}'s settlement and refund records of clr_type {clr_type}, {begndate} to {enddate}); reconcile first (3201/3202)"),
        ErrorSpec("CLR_APPY_EXISTS", _B, "机构 {code} {setlym} 月清算类别 {clr_type} 已有清算申请 {clr_appy_evt_id}：如需重新申请，请先用 3204 撤销", "institution {code} already applied for month {setlym}, clr_type {clr_type} ({clr_appy_evt_id}); withdraw it with 3204 to apply again"),
        ErrorSpec("CLR_APPY_NOT_FOUND", _B, "清算申请 {clr_appy_evt_id} 不存在，或不是机构 {code} 的申请", "clearing application {clr_appy_evt_id} does not exist or is not institution {code}'s"),
        ErrorSpec("CLR_APPY_CANCELLED", _B, "清算申请 {clr_appy_evt_id} 已于 {time} 撤销", "clearing application {clr_appy_evt_id} was withdrawn at {time}"),
        ErrorSpec("CROSS_DETAIL_NOT_CLEARED", _B, "{setlym} 月异地清算尚未完成（Y3270），就医地 {admdvs} 暂无清分明细", "month {setlym}'s cross-region clearing (Y3270) has not been made; treatment place {admdvs} has no clearing details yet"),
        ErrorSpec("CROSS_DETAIL_COUNT", _B, "{field} 为 {value}，{setlym} 月清分明细共 {expected} 条：确认须逐条覆盖全部明细", "{field} is {value}, but month {setlym} has {expected} clearing detail rows: a confirmation covers every row"),
        ErrorSpec("CROSS_DETAIL_UNKNOWN", _B, "结算流水号 {value} 不在机构 {code} {setlym} 月的清分明细中（3260）", "setl_sn {value} is not among institution {code}'s clearing details of {setlym} (3260)"),
        ErrorSpec("CROSS_DETAIL_TWICE", _E, "结算流水号 {value} 重复出现", "setl_sn {value} is listed twice"),
        ErrorSpec("CROSS_DETAIL_PERSON", _B, "证件号码与清分明细（结算流水号 {setl_sn}）的人员不符", "certno is not the person of clearing detail {setl_sn}"),
        ErrorSpec("CROSS_DETAIL_MISMATCH", _B, "{field} 为 {value}，清分明细（结算流水号 {setl_sn}）为 {expected}", "{field} is {value}; clearing detail {setl_sn} says {expected}"),
        ErrorSpec("CROSS_CONFIRMED", _B, "机构 {code} {setlym} 月清分结果已确认（报文 {msgid}）：如需重新确认，请先用 3262 回退", "institution {code} already confirmed month {setlym} (message {msgid}); roll it back with 3262 to confirm again"),
        ErrorSpec("CROSS_CONFIRMATION_NOT_FOUND", _B, "{otransid} 不是机构 {code} {setlym} 月的清分确认报文（3261 的 msgid）", "{otransid} is not a 3261 msgid confirming month {setlym} for institution {code}"),
        ErrorSpec("CROSS_CONFIRMATION_ROLLED_BACK", _B, "清分确认 {otransid} 已于 {time} 回退", "confirmation {otransid} was rolled back at {time}"),
        ErrorSpec("SETL_LIST_SETTLEMENT", _B, "结算 {setl_id} 不存在，或不是机构 {code} 的结算", "settlement {setl_id} does not exist or is not institution {code}'s"),
        ErrorSpec("SETL_LIST_NOT_SETTLED", _B, "{setl_id} 不能上传结算清单：{reason}", "no settlement list for {setl_id}: {reason_en}"),
        ErrorSpec("SETL_LIST_MISMATCH", _B, "{field} 为 {value}，结算 {setl_id} 为 {expected}", "{field} is {value}; settlement {setl_id} has {expected}"),
        ErrorSpec("SETL_LIST_PERSON", _B, "{field} 与结算 {setl_id} 的参保人不符", "{field} is not settlement {setl_id}'s person"),
        ErrorSpec("SETL_LIST_FUND", _B, "{field}：基金 {fund_pay_type} 申报 {value}，结算 {setl_id} 中为 {expected}", "{field}: fund {fund_pay_type} declares {value}; settlement {setl_id} paid {expected}"),
        ErrorSpec("SETL_LIST_RULE", _E, "{field}：{rule}", "{field}: {rule_en}"),
        ErrorSpec("SETL_LIST_EXISTS", _B, "结算 {setl_id} 已上传结算清单 {setl_list_id}", "settlement {setl_id} already has settlement list {setl_list_id}"),
        ErrorSpec("SETL_LIST_NOT_FOUND", _B, "未找到结算清单（{what}）", "no settlement list found ({what})"),
        ErrorSpec("CLAIM_INVOICE_EXISTS", _B, "就医地 {admdvs} 发票 {invoice_no} 已申请手工报销（{claim_id}），不能重复申请", "invoice {invoice_no} of treatment place {admdvs} is already claimed ({claim_id}); it cannot be claimed twice"),
        ErrorSpec("CLAIM_TOTAL_MISMATCH", _B, "费用明细合计 {items} 与发票金额 medfee_sumamt {amount} 不一致", "the items add up to {items}, not the invoice's medfee_sumamt {amount}"),
        ErrorSpec("CLAIM_NOT_FOUND", _B, "未找到人员 {psn_no} 的手工报销申请 {claim_id}", "person {psn_no} has no manual reimbursement claim {claim_id}"),
        ErrorSpec("CLAIM_CLOSED", _B, "手工报销申请 {claim_id} 已于 {time} {state}，不能再审核", "manual reimbursement claim {claim_id} was {state_en} at {time} and cannot be reviewed again"),
        ErrorSpec("FILE_NOT_BASE64", _E, "{field} 应为 zip 文件的 Base64 文本：{detail}", "{field} must be the Base64 text of a zip file: {detail_en}"),
        ErrorSpec("FILE_INSTITUTION", _E, "{field} {value} 与报文 fixmedins_code {code} 不一致：只能上传、下载本机构的文件", "{field} {value} is not the envelope's fixmedins_code {code}: an institution uploads and downloads only its own files"),
        ErrorSpec("FILE_TOO_LARGE", _B, "上传文件 {size} 字节，超过上限 {max} 字节：请分多个文件上传", "the uploaded file has {size} bytes, more than the {max} allowed: upload it as several files"),
        ErrorSpec("FILE_NOT_ZIP", _B, "上传文件不是可读的 zip 文件：{detail}", "the uploaded file is not a readable zip file: {detail_en}"),
        ErrorSpec("FILE_UNZIPPED_TOO_LARGE", _B, "zip 文件解压后超过 {max} 字节，不予接收", "the zip file inflates to more than {max} bytes; refused"),
        ErrorSpec("FILE_QUOTA", _B, "机构 {code} 未过期的上传文件合计将超过 {max} 字节：文件上传 {hours} 小时后过期，请稍后再传", "institution {code}'s unexpired uploads would exceed {max} bytes together: uploads expire {hours} hours after upload; upload later"),
        ErrorSpec("FILE_NOT_FOUND", _B, "文件查询号 {file_qury_no} 不存在，或不是机构 {code} 上传或生成的文件", "file {file_qury_no} does not exist, or was not uploaded by or made for institution {code}"),
        ErrorSpec("FILE_EXPIRED", _B, "文件 {file_qury_no} 已于 {time} 过期：请重新上传或重新生成", "file {file_qury_no} expired at {time}: upload or make it again"),
        ErrorSpec("FILE_ROWS", _B, "明细文件 {filename} 第 {line} 行：{rule}", "detail file {filename}, line {line}: {rule_en}"),
        ErrorSpec("GATEWAY_BUSY", _O, "平台繁忙，本次请求未受理、未执行：请 {retry_after_ms} 毫秒后重试，以同一 msgid 原样重发；若此 msgid 此前已发送过，其先前结果不因本次拒绝而改变（可用 Y5203 查询），切勿换新 msgid 重发", "the platform is busy and did not take this request: retry after {retry_after_ms} ms, resending it unchanged under the same msgid; if this msgid was sent before, that earlier send's outcome stands (query it with Y5203) — never resend it under a new msgid"),
        ErrorSpec("CALL_DEADLINE_PASSED", _O, "调用方设定的超时时间已过，本次请求未开始执行；可用同一 msgid 原样重发。若此 msgid 此前已发送过，其先前结果不因本次拒绝而改变（可用 Y5203 查询）", "the caller's deadline passed before this request was started, so this request was not carried out; it may be resent unchanged under the same msgid. If this msgid was sent before, that earlier send's outcome stands (query it with Y5203)"),
        ErrorSpec("INTERNAL", _I, "平台内部错误，请稍后重试（参考号 {ref}）", "internal error; retry later (reference {ref})"),
        ErrorSpec("CORE_UNAVAILABLE", _I, "结算核心进程不可用，本次请求未送达、未执行：请稍后以同一 msgid 原样重发；若此 msgid 此前已发送过，其先前结果不因本次拒绝而改变（可用 Y5203 查询）", "the settlement core process is unavailable and this request did not reach it, so it was not carried out: resend it unchanged under the same msgid later; if this msgid was sent before, that earlier send's outcome stands (query it with Y5203)"),
        ErrorSpec("CORE_OUTCOME_UNKNOWN", _I, "结算核心进程中断，未能答复本报文，交易结果未知（可能已执行）：请用 Y5203 查询报文 {msgid}，或以同一 msgid 原样重发（已执行则返回原结果，未执行则执行一次），切勿换新 msgid 重发", "the settlement core process was lost before it answered this call, so its outcome is unknown (it may have been carried out): query message {msgid} with Y5203, or resend it unchanged under the same msgid (its result is replayed if it was carried out, and it is carried out once if not); never resend it under a new msgid"),
        ErrorSpec("STORE_WRITE_FAILED", _I, "存储写入失败，本次请求已整体回滚，未执行、未写入任何数据：请稍后以同一 msgid 原样重发；若此 msgid 此前已发送过，其先前结果不因本次拒绝而改变（可用 Y5203 查询）", "the store failed to write and this request was rolled back whole, so it was not carried out and nothing of it was written: resend it unchanged under the same msgid later; if this msgid was sent before, that earlier send's outcome stands (query it with Y5203)"),
        ErrorSpec("STORE_OUTCOME_UNKNOWN", _I, "存储在提交或落盘时出错，交易结果未知（可能已执行）：请用 Y5203 查询本报文的 msgid，或以同一 msgid 原样重发（已执行则返回原结果，未执行则执行一次），切勿换新 msgid 重发", "the store failed while committing this call or making it durable, so its outcome is unknown (it may have been carried out): query this message's msgid with Y5203, or resend it unchanged under the same msgid (its result is replayed if it was carried out, and it is carried out once if not); never resend it under a new msgid"),
    ]
}
# fmt: on


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
