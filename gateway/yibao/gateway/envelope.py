"""Envelope checks (docs/reference/interface.md §1.1). Each failure names the header field and the rule broken."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from yibao.domain.world import Institution, World
from yibao.errors import Refusal
from yibao.inputs import text_field
from yibao.timetext import datetime_text, parse_compact, parse_datetime
from yibao.v1.envelope_pb2 import RequestHeader

# ASCII only: \d would take Arabic-Indic and other digits, and $ a trailing newline (fullmatch takes neither)
MSGID = re.compile(r"([A-Z0-9]{12})([0-9]{14})([0-9]{4})")
ADMDVS = re.compile(r"[0-9]{6}")
REQUIRED = (
    "infno",
    "msgid",
    "mdtrtarea_admvs",
    "recer_sys_code",
    "infver",
    "opter_type",
    "opter",
    "opter_name",
    "inf_time",
    "fixmedins_code",
    "fixmedins_name",
)
MAX_LEN = {
    "infno": 6,
    "msgid": 30,
    "mdtrtarea_admvs": 6,
    "insuplc_admdvs": 6,
    "recer_sys_code": 10,
    "dev_no": 100,
    "dev_safe_info": 2000,
    "cainfo": 1024,
    "signtype": 10,
    "infver": 6,
    "opter_type": 3,
    "opter": 30,
    "opter_name": 50,
    "inf_time": 19,
    "fixmedins_code": 30,
    "fixmedins_name": 200,
    "sign_no": 30,
}
RECER_SYS_CODES = ("YBXT", "LXXT", "GSXT")
OPTER_TYPES = ("1", "2", "3")
INF_TIME_TOLERANCE = timedelta(minutes=30)  # HIS clocks drift; beyond this the message is stale or forged


def check_header(h: RequestHeader, infno: str, world: World, now: datetime) -> tuple[Institution, list[str]]:
    """Check everything that needs no storage. Returns the institution and any warnings."""
    for name in REQUIRED:
        if not getattr(h, name):
            raise Refusal("ENV_REQUIRED", f"header.{name}")
    for name, limit in MAX_LEN.items():
        if len(getattr(h, name)) > limit:
            raise Refusal("ENV_TOO_LONG", f"header.{name}", max=limit)
    for field, value in h.ListFields():
        if isinstance(value, str):
            text_field(value, f"header.{field.name}", field.name)
    if h.infno != infno:
        raise Refusal("ENV_INFNO_MISMATCH", "header.infno", value=h.infno, expected=infno)
    m = MSGID.fullmatch(h.msgid)
    if m is None or not _is_time(m.group(2)):
        raise Refusal("ENV_MSGID_FORMAT", "header.msgid", value=h.msgid)
    if m.group(1) != h.fixmedins_code:
        raise Refusal("ENV_MSGID_INSTITUTION", "header.msgid", prefix=m.group(1), code=h.fixmedins_code)
    if h.opter_type not in OPTER_TYPES:
        raise Refusal("ENV_CODE", "header.opter_type", value=h.opter_type, allowed="1 经办人/2 自助终端/3 移动终端")
    try:
        inf_time = parse_datetime(h.inf_time)
    except ValueError:
        raise Refusal("ENV_FORMAT", "header.inf_time", rule=f"应为 yyyy-MM-dd HH:mm:ss，收到 {h.inf_time!r}") from None
    if abs(inf_time - now) > INF_TIME_TOLERANCE:
        raise Refusal(
            "ENV_INF_TIME",
            "header.inf_time",
            value=h.inf_time,
            now=datetime_text(now),
            minutes=int(INF_TIME_TOLERANCE.total_seconds() // 60),
        )
    if h.insuplc_admdvs and not ADMDVS.fullmatch(h.insuplc_admdvs):
        raise Refusal("ENV_FORMAT", "header.insuplc_admdvs", rule="应为6位医保区划代码")
    institution = world.institutions.get(h.fixmedins_code)
    if institution is None:
        raise Refusal("AUTH_INSTITUTION_UNKNOWN", "header.fixmedins_code", code=h.fixmedins_code)
    if not institution.enabled:
        raise Refusal("AUTH_INSTITUTION_DISABLED", "header.fixmedins_code", code=h.fixmedins_code)
    if h.mdtrtarea_admvs != institution.admdvs:
        raise Refusal("ENV_MDTRTAREA", "header.mdtrtarea_admvs", value=h.mdtrtarea_admvs, expected=institution.admdvs)
    allowed = recer_sys_codes(world, institution)
    if h.recer_sys_code not in allowed:
        raise Refusal("ENV_CODE", "header.recer_sys_code", value=h.recer_sys_code, allowed="/".join(allowed))
    warnings = []
    if h.fixmedins_name != institution.fixmedins_name:
        warnings.append(f"fixmedins_name 与登记名称“{institution.fixmedins_name}”不一致")
    return institution, warnings


def recer_sys_codes(world: World, institution: Institution) -> tuple[str, ...]:
    """The national codes, then those the institution's region declares in the world file (a Shenzhen client
    sends PQ): real clients send their region's code, so the region, not the gateway, says which are valid."""
    region = world.regions.get(institution.admdvs)
    return RECER_SYS_CODES + (region.recer_sys_codes if region else ())


def _is_time(text: str) -> bool:
    try:
        parse_compact(text)
    except ValueError:
        return False
    return True
