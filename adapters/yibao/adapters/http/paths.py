"""Which transaction a URL names (docs/reference/interface.md §1.3).

Three shapes are served, under any prefix (…/ebus/rio_fsi, …/ebus/gdyb_inf/poc/hsa/hgs, …):
- Hebei style, one path per transaction: …/fsi/api/<service>/<method> (the protos' `http_path`, and
  NOT_SERVED below for the national map's other transactions);
- Guangdong/Hunan style: …/<infno>, e.g. …/hsa/hgs/2207 or …/powercsb/9001;
- one dispatch path for all: …/fsi/api/callFsiService/callService, or plain / and /api.
The first two name a transaction, which must be the envelope's infno; the third leaves it to the
envelope. Only the protos and this table know paths: a new route is served on …/<infno> and the dispatch path at
once, and on its Hebei path as soon as its proto gives one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yibao.transactions import transactions

# The national map's transactions that this platform does not serve: infno → (Hebei path, national
# name), so a HIS calling one is told which transaction it asked for and that it is not served. The
# served ones carry their path and name in the protos (yibao.transactions).
NOT_SERVED: dict[str, tuple[str, str]] = {
    "1304": ("/fsi/api/catalogqueryservice/queryNatyPreparedByPage", "民族药品目录查询"),
    "1316": ("/fsi/api/catalogqueryservice/queryMedinsHilistMapByPage", "医疗目录与医保目录匹配信息查询"),
    "1317": ("/fsi/api/catalogqueryservice/queryMedListMapByPage", "医药机构目录匹配信息查询"),
    "1318": ("/fsi/api/catalogqueryservice/queryLmtprcByPage", "医保目录限价信息查询"),
    "1319": ("/fsi/api/catalogqueryservice/querySelfpayByPage", "医保目录先自付比例信息查询"),
    "3101": ("/fsi/api/riskConService/beforeAnalyze", "明细审核事前分析"),
    "3102": ("/fsi/api/riskConService/courseAnalyze", "明细审核事中分析"),
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
    "4104": ("/fsi/api/medinfoupload/queryQltctrlProblemPage", "结算清单质控结果查询"),
    "5101": ("/fsi/api/fsiIntegratedQueryService/queryFixmedinsDept", "科室信息查询"),
    "5102": ("/fsi/api/fsiIntegratedQueryService/queryFixmedinsPracPsn", "医执人员信息查询"),
}
# Names of unserved transactions that have no Hebei path of their own (none left: 5201, 5202, 5205 and 5304 are
# served, their names in protos/yibao/v1/inquiry.proto).
OTHER_NAMES: dict[str, str] = {}
DISPATCH_SUFFIXES = ("/fsi/api/callfsiservice/callservice",)
DISPATCH_PATHS = frozenset({"", "/api"})
# Typo-free spellings that HIS vendors type when they copy the path by hand.
ALIASES = {"/fsi/api/outpatientDocInfoService/outpatientRegistration": "2201"}
INFNO = re.compile(r"[A-Z]?[0-9]{4}[A-Z]?")  # 2207, 2203A, and Yibao extensions such as Y9101

# Matched on the last four segments (every path above has four), case-insensitively: gateways in
# front of the platform are not consistent about case.
_BY_SUFFIX = (
    {tx.http_path.lower(): infno for infno, tx in transactions().items() if tx.http_path}
    | {path.lower(): infno for infno, (path, _) in NOT_SERVED.items()}
    | {path.lower(): infno for path, infno in ALIASES.items()}
)


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
    tx = transactions().get(infno)
    if tx is not None:
        return tx.http_path or None
    entry = NOT_SERVED.get(infno)
    return entry[0] if entry else None


def name_of(infno: str) -> str:
    """The national name of a transaction, served or not ("" when unknown)."""
    tx = transactions().get(infno)
    if tx is not None:
        return tx.national_name
    entry = NOT_SERVED.get(infno)
    return entry[1] if entry else OTHER_NAMES.get(infno, "")
