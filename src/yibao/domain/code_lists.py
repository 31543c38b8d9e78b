"""The code lists the platform uses (字典, served by 1901 and listed in docs/code-lists.md): one table, by list name.

The national values and names are those of docs/reference/interface.md §8; the platform's own lists (clr_way,
filing types and states, the 2001 check types, the 5206 accumulation types) are marked Yibao in docs/code-lists.md.
Where a list already lives beside the rule that uses it (funds, filing kinds, filing states), this table reads it
from there, so there is one source for each. Every list is national: the same for every region, valid for every date.
"""

from __future__ import annotations

from collections.abc import Mapping

from yibao.domain.benefit_policy import FilingKind
from yibao.domain.filing import BIZ_NAMES, Status
from yibao.domain.funds import FUND_NAMES

Entries = tuple[tuple[str, str], ...]  # (value, label), in the list's order

CODE_LISTS: Mapping[str, Entries] = {
    "insutype": (
        ("310", "职工基本医疗保险"),
        ("320", "公务员医疗补助"),
        ("330", "大额医疗费用补助"),
        ("340", "离休人员医疗保障"),
        ("350", "一至六级残废军人医疗补助"),
        ("360", "老红军医疗保障"),
        ("370", "企业补充医疗保险"),
        ("380", "新型农村合作医疗"),
        ("390", "城乡居民基本医疗保险"),
        ("391", "城镇居民基本医疗保险"),
        ("392", "城乡居民大病医疗保险"),
        ("399", "其他特殊人员医疗保障"),
        ("410", "长期照护保险"),
        ("510", "生育保险"),
    ),
    "med_type": (
        ("11", "普通门诊"),
        ("12", "门诊挂号"),
        ("13", "急诊"),
        ("14", "门诊慢特病"),
        ("19", "意外伤害门诊"),
        ("21", "普通住院"),
        ("23", "转外诊治住院"),
        ("24", "急诊转住院"),
        ("41", "定点药店购药"),
        ("51", "生育门诊"),
        ("52", "生育住院"),
        ("53", "计划生育手术费"),
    ),
    "mdtrt_cert_type": (("01", "医保电子凭证"), ("02", "居民身份证"), ("03", "社会保障卡")),
    "psn_cert_type": (
        ("01", "居民身份证"),
        ("02", "军官证"),
        ("08", "外国人护照"),
        ("90", "社会保障卡"),
        ("99", "其他"),
    ),
    "psn_type": (
        ("1101", "职工在职"),
        ("1102", "公务员在职"),
        ("1103", "灵活就业在职"),
        ("1201", "职工退休"),
        ("1202", "公务员退休"),
        ("1203", "灵活就业退休"),
        ("1300", "离休"),
        ("1401", "新生儿"),
        ("1402", "学龄前儿童"),
        ("1403", "中小学生"),
        ("1404", "大学生"),
        ("1405", "未成年（未入学）"),
        ("1501", "普通居民（成年）"),
    ),
    "psn_setlway": (("01", "普通结算"), ("02", "包干结算")),
    "clr_type": (("11", "门诊"), ("21", "住院"), ("41", "药店购药"), ("51", "暂缓结算"), ("99", "其他")),
    "clr_way": (("1", "清算方式 1（含义未公开，平台一律答 1）"),),
    "fund_pay_type": tuple(FUND_NAMES.items()),
    "chrgitm_lv": (("01", "甲类"), ("02", "乙类"), ("03", "丙类")),
    "list_type": (
        ("101", "西药"),
        ("102", "中成药"),
        ("103", "中药饮片"),
        ("104", "医疗机构制剂"),
        ("105", "民族药"),
        ("201", "医疗服务项目"),
        ("301", "医用耗材"),
    ),
    "diag_type": (("1", "西医诊断"), ("2", "中医主病诊断"), ("3", "中医主证诊断")),
    "fixmedins_type": (
        ("1", "定点医疗机构"),
        ("2", "定点零售药店"),
        ("3", "工伤康复机构"),
        ("4", "辅助器具配置机构"),
        ("5", "计划生育服务机构"),
    ),
    "hosp_lv": (("1", "一级"), ("2", "二级"), ("3", "三级")),
    "opter_type": (("1", "经办人"), ("2", "自助终端"), ("3", "移动终端")),
    "recer_sys_code": (("YBXT", "医保系统"), ("LXXT", "离休系统"), ("GSXT", "工伤系统")),
    "er_flag": (("0", "非急诊"), ("1", "急诊"), ("2", "术前门诊检查"), ("3", "择期手术")),
    "refl_type": (("1", "市内转院"), ("2", "转往省内异地"), ("3", "转往省外异地")),
    "biz_appy_type": tuple(BIZ_NAMES.items()),
    "fil_type": tuple(FilingKind.NAMES.items()),
    "fil_stas": tuple(Status.NAMES.items()),
    "trt_chk_type": (("01", "参保状态"), ("02", "待遇标准"), ("03", "慢特病备案"), ("04", "异地就医备案")),
    "cum_type_code": (("D", "起付线累计"), ("F", "基金支付累计")),
}
