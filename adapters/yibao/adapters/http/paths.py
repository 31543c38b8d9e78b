"""Which transaction a URL names (interface.md §1.3).

Three shapes are served, under any prefix (…/ebus/rio_fsi, …/ebus/gdyb_inf/poc/hsa/hgs, …):
- Hebei style, one path per transaction: …/fsi/api/<service>/<method> (PER_TRANSACTION below);
- Guangdong/Hunan style: …/<infno>, e.g. …/hsa/hgs/2207 or …/powercsb/9001;
- one dispatch path for all: …/fsi/api/callFsiService/callService, or plain / and /api.
The first two name a transaction, which must be the envelope's infno; the third leaves it to the
envelope. Only this table knows paths: a new route is served on …/<infno> and the dispatch path at
once, and on its Hebei path as soon as the path is listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# infno → (Hebei path, national name). The name is for people (inspector, error texts).
PER_TRANSACTION: dict[str, tuple[str, str]] = {
    "9001": ("/fsi/api/signInSignOutService/signIn", "签到"),
    "9002": ("/fsi/api/signInSignOutService/signOut", "签退"),  # not in the published map; by analogy with 9001
    "9101": ("/fsi/api/fileupload/upload", "文件上传"),
    "9102": ("/fsi/api/fileupload/download", "文件下载"),
    "1101": ("/fsi/api/fsiPsnInfoService/queryPsnInfo", "人员信息获取"),
    "1201": ("/fsi/api/fsiFixMedInsService/queryFixMedIns", "医药机构信息获取"),
    "1304": ("/fsi/api/catalogqueryservice/queryNatyPreparedByPage", "民族药品目录查询"),
    "1312": ("/fsi/api/catalogqueryservice/queryHilist", "医保目录信息查询"),
    "1316": ("/fsi/api/catalogqueryservice/queryMedinsHilistMapByPage", "医疗目录与医保目录匹配信息查询"),
    "1317": ("/fsi/api/catalogqueryservice/queryMedListMapByPage", "医药机构目录匹配信息查询"),
    "1318": ("/fsi/api/catalogqueryservice/queryLmtprcByPage", "医保目录限价信息查询"),
    "1319": ("/fsi/api/catalogqueryservice/querySelfpayByPage", "医保目录先自付比例信息查询"),
    "1901": ("/fsi/api/catalogqueryservice/queryDataDic", "字典表查询"),
    "2001": ("/fsi/api/fsiPsnPriorityInfoService/queryPsnPriorityInfo", "人员待遇享受检查"),
    "2201": ("/fsi/api/outpatientDocInfoService/outpatientRregistration", "门诊挂号"),  # sic, as deployed
    "2202": ("/fsi/api/outpatientDocInfoService/outpatientRegistrationCancel", "门诊挂号撤销"),
    "2203": ("/fsi/api/outpatientDocInfoService/outpatientMdtrtinfoUp", "门诊就诊信息上传"),
    "2203A": ("/fsi/api/outpatientDocInfoService/outpatientMdtrtinfoUpA", "门诊就诊信息上传"),
    "2204": ("/fsi/api/outpatientDocInfoService/outpatientFeeListUp", "门诊费用明细上传"),
    "2205": ("/fsi/api/outpatientDocInfoService/outpatientFeeListUpCancel", "门诊费用明细撤销"),
    "2206": ("/fsi/api/outpatientSettleService/preSettletment", "门诊预结算"),
    "2206A": ("/fsi/api/outpatientSettleService/preSettletmentA", "门诊预结算"),
    "2207": ("/fsi/api/outpatientSettleService/saveSettletmentV2", "门诊结算"),
    "2207A": ("/fsi/api/outpatientSettleService/saveSettletment", "门诊结算"),
    "2208": ("/fsi/api/outpatientSettleService/cancleSettletment", "门诊结算撤销"),
    "2301": ("/fsi/api/hospFeeDtlService/feeDtlUp", "住院费用明细上传"),
    "2302": ("/fsi/api/hospFeeDtlService/feeDtlCl", "住院费用明细撤销"),
    "2303": ("/fsi/api/hospSettService/preSett", "住院预结算"),
    "2304": ("/fsi/api/hospSettService/settV2", "住院结算"),
    "2305": ("/fsi/api/hospSettService/settCl", "住院结算撤销"),
    "2401": ("/fsi/api/hospitalRegisterService/hospitalRegisterSave", "入院办理"),
    "2402": ("/fsi/api/dscgService/dischargeProcess", "出院办理"),
    "2403": ("/fsi/api/hospitalRegisterService/hospitalRegisterEdit", "住院信息变更"),
    "2404": ("/fsi/api/hospitalRegisterService/hospitalRegisterCancel", "入院办理撤销"),
    "2405": ("/fsi/api/dscgService/dischargeUndo", "出院办理撤销"),
    "2601": ("/fsi/api/reverseService/revsMethod", "冲正交易"),
    "3101": ("/fsi/api/riskConService/beforeAnalyze", "明细审核事前分析"),
    "3102": ("/fsi/api/riskConService/courseAnalyze", "明细审核事中分析"),
    "3201": ("/fsi/api/ybSettlementStmtService/stmtTotal", "医药机构费用结算对总账"),
    "3202": ("/fsi/api/ybSettlementStmtService/stmtDetail", "医药机构费用结算对明细账"),
    "3211": ("/api/fsiextend/medinsmonsettlement/medinsDaySetlReconciliation", "日对账"),
    "3212": ("/api/fsiextend/medinsmonsettlement/qMedinsDaySetlResult", "日对账结果查询"),
    "3301": ("/fsi/api/catalogCompService/catalogCompUp", "目录对照上传"),
    "3401": ("/fsi/api/department/saveDepartmentManageInfo", "科室信息上传"),
    "3401A": ("/fsi/api/department/saveDepartmentManageBatch", "批量科室信息上传"),
    "3402": ("/fsi/api/department/modifyDepartmentInfo", "科室信息变更"),
    "3403": ("/fsi/api/department/pauseDepartmentInfo", "科室信息撤销"),
    "3501": ("/fsi/api/goodsService/goodsUpload", "商品盘存上传"),
    "3502": ("/fsi/api/goodsService/goodsUpdate", "商品信息变更"),
    "3503": ("/fsi/api/goodsService/goodsBuy", "商品采购"),
    "3504": ("/fsi/api/goodsService/goodsBuyReturn", "商品采购退货"),
    "3505": ("/fsi/api/goodsService/goodsSell", "商品销售"),
    "3506": ("/fsi/api/goodsService/goodsSellReturn", "商品销售退货"),
    "3507": ("/fsi/api/goodsService/goodsInfoDelete", "商品信息删除"),
    "4101": ("/fsi/api/medinfoupload/setllistinfoupld", "医疗保障基金结算清单上传"),
    "4101A": ("/fsi/api/medinfoupload/setllistinfoupldA", "医疗保障基金结算清单上传"),
    "4104": ("/fsi/api/medinfoupload/queryQltctrlProblemPage", "结算清单质控结果查询"),
    "5101": ("/fsi/api/fsiIntegratedQueryService/queryFixmedinsDept", "科室信息查询"),
    "5102": ("/fsi/api/fsiIntegratedQueryService/queryFixmedinsPracPsn", "医执人员信息查询"),
    "5203": ("/fsi/api/fsiIntegratedQueryService/querySetlInfo", "结算信息查询"),
    "5204": ("/fsi/api/fsiIntegratedQueryService/queryFeeList", "费用明细查询"),
    "5206": ("/fsi/api/fsiIntegratedQueryService/queryFixmedinsPracPsnSum", "人员累计信息查询"),
    "5301": ("/fsi/api/fsiIntegratedQueryService/queryPsnOpspReg", "人员慢特病备案查询"),
    "5303": ("/fsi/api/fsiIntegratedQueryService/queryInhospInfo", "在院信息查询"),
}
# Names of transactions that have no Hebei path of their own (pharmacy, filings, queries).
OTHER_NAMES = {
    "2101": "药店预结算",
    "2102": "药店结算",
    "2103": "药店结算撤销",
    "2501": "转院备案",
    "2502": "转院备案撤销",
    "2503": "人员慢特病备案",
    "2504": "人员慢特病备案撤销",
    "2505": "人员定点备案",
    "2506": "人员定点备案撤销",
    "5201": "就诊信息查询",
    "5202": "诊断信息查询",
    "5205": "慢特病用药记录查询",
    "5302": "人员定点信息查询",
    "5304": "转院信息查询",
}
DISPATCH_SUFFIXES = ("/fsi/api/callfsiservice/callservice",)
DISPATCH_PATHS = frozenset({"", "/api"})
# Typo-free spellings that HIS vendors type when they copy the path by hand.
ALIASES = {"/fsi/api/outpatientDocInfoService/outpatientRegistration": "2201"}
INFNO = re.compile(r"[A-Z]?[0-9]{4}[A-Z]?")  # 2207, 2203A, and Yibao extensions such as Y9101

# Matched on the last four segments (every path above has four), case-insensitively: gateways in
# front of the platform are not consistent about case.
_BY_SUFFIX = {path.lower(): infno for infno, (path, _) in PER_TRANSACTION.items()} | {
    path.lower(): infno for path, infno in ALIASES.items()
}


@dataclass(frozen=True, slots=True)
class Target:
    """What a URL asks for: one transaction (`infno`), or whatever the envelope says (None)."""

    infno: str | None


def resolve(path: str) -> Target | None:
    """The target of a request path (query string already removed); None when it is no interface address."""
    path = path.rstrip("/")
    if path in DISPATCH_PATHS:
        return Target(None)
    segments = path.split("/")
    if len(segments) >= 5:
        suffix = "/".join(segments[-4:]).lower()
        if "/" + suffix in DISPATCH_SUFFIXES:
            return Target(None)
        infno = _BY_SUFFIX.get("/" + suffix)
        if infno is not None:
            return Target(infno)
    last = segments[-1].upper()
    if len(segments) >= 2 and INFNO.fullmatch(last):
        return Target(last)
    return None


def path_of(infno: str) -> str | None:
    """The Hebei-style path of a transaction, if it has one."""
    entry = PER_TRANSACTION.get(infno)
    return entry[0] if entry else None


def name_of(infno: str) -> str:
    entry = PER_TRANSACTION.get(infno)
    return entry[1] if entry else OTHER_NAMES.get(infno, "")
