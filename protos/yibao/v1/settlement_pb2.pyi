from yibao.v1 import envelope_pb2 as _envelope_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SettleOutput(_message.Message):
    __slots__ = ("setlinfo", "setldetail", "setltrace", "detlcutinfo")
    SETLINFO_FIELD_NUMBER: _ClassVar[int]
    SETLDETAIL_FIELD_NUMBER: _ClassVar[int]
    SETLTRACE_FIELD_NUMBER: _ClassVar[int]
    DETLCUTINFO_FIELD_NUMBER: _ClassVar[int]
    setlinfo: SetlInfo
    setldetail: _containers.RepeatedCompositeFieldContainer[SetlDetail]
    setltrace: SetlTrace
    detlcutinfo: _containers.RepeatedCompositeFieldContainer[FeeSplit]
    def __init__(self, setlinfo: _Optional[_Union[SetlInfo, _Mapping]] = ..., setldetail: _Optional[_Iterable[_Union[SetlDetail, _Mapping]]] = ..., setltrace: _Optional[_Union[SetlTrace, _Mapping]] = ..., detlcutinfo: _Optional[_Iterable[_Union[FeeSplit, _Mapping]]] = ...) -> None: ...

class SettleReply(_message.Message):
    __slots__ = ("header", "output")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    header: _envelope_pb2.ReplyHeader
    output: SettleOutput
    def __init__(self, header: _Optional[_Union[_envelope_pb2.ReplyHeader, _Mapping]] = ..., output: _Optional[_Union[SettleOutput, _Mapping]] = ...) -> None: ...

class TraceItem(_message.Message):
    __slots__ = ("feedetl_sn", "med_list_codg", "name", "chrgitm_lv", "pric_uplmt_amt", "selfpay_prop", "det_item_fee_sumamt", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt", "inscp_scp_amt", "rule")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    MED_LIST_CODG_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHRGITM_LV_FIELD_NUMBER: _ClassVar[int]
    PRIC_UPLMT_AMT_FIELD_NUMBER: _ClassVar[int]
    SELFPAY_PROP_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FULAMT_OWNPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    OVERLMT_AMT_FIELD_NUMBER: _ClassVar[int]
    PRESELFPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    INSCP_SCP_AMT_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    med_list_codg: str
    name: str
    chrgitm_lv: str
    pric_uplmt_amt: str
    selfpay_prop: str
    det_item_fee_sumamt: str
    fulamt_ownpay_amt: str
    overlmt_amt: str
    preselfpay_amt: str
    inscp_scp_amt: str
    rule: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., med_list_codg: _Optional[str] = ..., name: _Optional[str] = ..., chrgitm_lv: _Optional[str] = ..., pric_uplmt_amt: _Optional[str] = ..., selfpay_prop: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., fulamt_ownpay_amt: _Optional[str] = ..., overlmt_amt: _Optional[str] = ..., preselfpay_amt: _Optional[str] = ..., inscp_scp_amt: _Optional[str] = ..., rule: _Optional[str] = ...) -> None: ...

class TraceStep(_message.Message):
    __slots__ = ("step", "fund_pay_type", "base", "deductible", "ratio", "cap", "accumulated_before", "amount", "accumulated_after", "rule")
    STEP_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_TYPE_FIELD_NUMBER: _ClassVar[int]
    BASE_FIELD_NUMBER: _ClassVar[int]
    DEDUCTIBLE_FIELD_NUMBER: _ClassVar[int]
    RATIO_FIELD_NUMBER: _ClassVar[int]
    CAP_FIELD_NUMBER: _ClassVar[int]
    ACCUMULATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ACCUMULATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    step: str
    fund_pay_type: str
    base: str
    deductible: str
    ratio: str
    cap: str
    accumulated_before: str
    amount: str
    accumulated_after: str
    rule: str
    def __init__(self, step: _Optional[str] = ..., fund_pay_type: _Optional[str] = ..., base: _Optional[str] = ..., deductible: _Optional[str] = ..., ratio: _Optional[str] = ..., cap: _Optional[str] = ..., accumulated_before: _Optional[str] = ..., amount: _Optional[str] = ..., accumulated_after: _Optional[str] = ..., rule: _Optional[str] = ...) -> None: ...

class SetlTrace(_message.Message):
    __slots__ = ("treatment_place", "insured_place", "locality", "benefit_basis", "trt_dcla_detl_sn", "items", "steps", "item_cnt", "items_unlisted")
    TREATMENT_PLACE_FIELD_NUMBER: _ClassVar[int]
    INSURED_PLACE_FIELD_NUMBER: _ClassVar[int]
    LOCALITY_FIELD_NUMBER: _ClassVar[int]
    BENEFIT_BASIS_FIELD_NUMBER: _ClassVar[int]
    TRT_DCLA_DETL_SN_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    ITEM_CNT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_UNLISTED_FIELD_NUMBER: _ClassVar[int]
    treatment_place: str
    insured_place: str
    locality: str
    benefit_basis: str
    trt_dcla_detl_sn: str
    items: _containers.RepeatedCompositeFieldContainer[TraceItem]
    steps: _containers.RepeatedCompositeFieldContainer[TraceStep]
    item_cnt: str
    items_unlisted: str
    def __init__(self, treatment_place: _Optional[str] = ..., insured_place: _Optional[str] = ..., locality: _Optional[str] = ..., benefit_basis: _Optional[str] = ..., trt_dcla_detl_sn: _Optional[str] = ..., items: _Optional[_Iterable[_Union[TraceItem, _Mapping]]] = ..., steps: _Optional[_Iterable[_Union[TraceStep, _Mapping]]] = ..., item_cnt: _Optional[str] = ..., items_unlisted: _Optional[str] = ...) -> None: ...

class FeeSplit(_message.Message):
    __slots__ = ("feedetl_sn", "det_item_fee_sumamt", "cnt", "pric", "pric_uplmt_amt", "selfpay_prop", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt", "inscp_scp_amt", "chrgitm_lv", "med_chrgitm_type", "bas_medn_flag", "hi_nego_drug_flag", "chld_medc_flag", "list_sp_item_flag", "lmt_used_flag", "drt_reim_flag", "memo")
    FEEDETL_SN_FIELD_NUMBER: _ClassVar[int]
    DET_ITEM_FEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    CNT_FIELD_NUMBER: _ClassVar[int]
    PRIC_FIELD_NUMBER: _ClassVar[int]
    PRIC_UPLMT_AMT_FIELD_NUMBER: _ClassVar[int]
    SELFPAY_PROP_FIELD_NUMBER: _ClassVar[int]
    FULAMT_OWNPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    OVERLMT_AMT_FIELD_NUMBER: _ClassVar[int]
    PRESELFPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    INSCP_SCP_AMT_FIELD_NUMBER: _ClassVar[int]
    CHRGITM_LV_FIELD_NUMBER: _ClassVar[int]
    MED_CHRGITM_TYPE_FIELD_NUMBER: _ClassVar[int]
    BAS_MEDN_FLAG_FIELD_NUMBER: _ClassVar[int]
    HI_NEGO_DRUG_FLAG_FIELD_NUMBER: _ClassVar[int]
    CHLD_MEDC_FLAG_FIELD_NUMBER: _ClassVar[int]
    LIST_SP_ITEM_FLAG_FIELD_NUMBER: _ClassVar[int]
    LMT_USED_FLAG_FIELD_NUMBER: _ClassVar[int]
    DRT_REIM_FLAG_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    feedetl_sn: str
    det_item_fee_sumamt: str
    cnt: str
    pric: str
    pric_uplmt_amt: str
    selfpay_prop: str
    fulamt_ownpay_amt: str
    overlmt_amt: str
    preselfpay_amt: str
    inscp_scp_amt: str
    chrgitm_lv: str
    med_chrgitm_type: str
    bas_medn_flag: str
    hi_nego_drug_flag: str
    chld_medc_flag: str
    list_sp_item_flag: str
    lmt_used_flag: str
    drt_reim_flag: str
    memo: str
    def __init__(self, feedetl_sn: _Optional[str] = ..., det_item_fee_sumamt: _Optional[str] = ..., cnt: _Optional[str] = ..., pric: _Optional[str] = ..., pric_uplmt_amt: _Optional[str] = ..., selfpay_prop: _Optional[str] = ..., fulamt_ownpay_amt: _Optional[str] = ..., overlmt_amt: _Optional[str] = ..., preselfpay_amt: _Optional[str] = ..., inscp_scp_amt: _Optional[str] = ..., chrgitm_lv: _Optional[str] = ..., med_chrgitm_type: _Optional[str] = ..., bas_medn_flag: _Optional[str] = ..., hi_nego_drug_flag: _Optional[str] = ..., chld_medc_flag: _Optional[str] = ..., list_sp_item_flag: _Optional[str] = ..., lmt_used_flag: _Optional[str] = ..., drt_reim_flag: _Optional[str] = ..., memo: _Optional[str] = ...) -> None: ...

class SetlInfo(_message.Message):
    __slots__ = ("mdtrt_id", "setl_id", "psn_no", "psn_name", "psn_cert_type", "certno", "gend", "naty", "brdy", "age", "insutype", "psn_type", "cvlserv_flag", "setl_time", "mdtrt_cert_type", "med_type", "medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "pool_prop_selfpay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "hosp_part_amt", "balc", "acct_mulaid_pay", "medins_setl_id", "clr_optins", "clr_way", "clr_type")
    MDTRT_ID_FIELD_NUMBER: _ClassVar[int]
    SETL_ID_FIELD_NUMBER: _ClassVar[int]
    PSN_NO_FIELD_NUMBER: _ClassVar[int]
    PSN_NAME_FIELD_NUMBER: _ClassVar[int]
    PSN_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CERTNO_FIELD_NUMBER: _ClassVar[int]
    GEND_FIELD_NUMBER: _ClassVar[int]
    NATY_FIELD_NUMBER: _ClassVar[int]
    BRDY_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    INSUTYPE_FIELD_NUMBER: _ClassVar[int]
    PSN_TYPE_FIELD_NUMBER: _ClassVar[int]
    CVLSERV_FLAG_FIELD_NUMBER: _ClassVar[int]
    SETL_TIME_FIELD_NUMBER: _ClassVar[int]
    MDTRT_CERT_TYPE_FIELD_NUMBER: _ClassVar[int]
    MED_TYPE_FIELD_NUMBER: _ClassVar[int]
    MEDFEE_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    FULAMT_OWNPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    OVERLMT_SELFPAY_FIELD_NUMBER: _ClassVar[int]
    PRESELFPAY_AMT_FIELD_NUMBER: _ClassVar[int]
    INSCP_SCP_AMT_FIELD_NUMBER: _ClassVar[int]
    ACT_PAY_DEDC_FIELD_NUMBER: _ClassVar[int]
    HIFP_PAY_FIELD_NUMBER: _ClassVar[int]
    POOL_PROP_SELFPAY_FIELD_NUMBER: _ClassVar[int]
    CVLSERV_PAY_FIELD_NUMBER: _ClassVar[int]
    HIFES_PAY_FIELD_NUMBER: _ClassVar[int]
    HIFMI_PAY_FIELD_NUMBER: _ClassVar[int]
    HIFOB_PAY_FIELD_NUMBER: _ClassVar[int]
    MAF_PAY_FIELD_NUMBER: _ClassVar[int]
    OTH_PAY_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_SUMAMT_FIELD_NUMBER: _ClassVar[int]
    PSN_PART_AMT_FIELD_NUMBER: _ClassVar[int]
    ACCT_PAY_FIELD_NUMBER: _ClassVar[int]
    PSN_CASH_PAY_FIELD_NUMBER: _ClassVar[int]
    HOSP_PART_AMT_FIELD_NUMBER: _ClassVar[int]
    BALC_FIELD_NUMBER: _ClassVar[int]
    ACCT_MULAID_PAY_FIELD_NUMBER: _ClassVar[int]
    MEDINS_SETL_ID_FIELD_NUMBER: _ClassVar[int]
    CLR_OPTINS_FIELD_NUMBER: _ClassVar[int]
    CLR_WAY_FIELD_NUMBER: _ClassVar[int]
    CLR_TYPE_FIELD_NUMBER: _ClassVar[int]
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
    medfee_sumamt: str
    fulamt_ownpay_amt: str
    overlmt_selfpay: str
    preselfpay_amt: str
    inscp_scp_amt: str
    act_pay_dedc: str
    hifp_pay: str
    pool_prop_selfpay: str
    cvlserv_pay: str
    hifes_pay: str
    hifmi_pay: str
    hifob_pay: str
    maf_pay: str
    oth_pay: str
    fund_pay_sumamt: str
    psn_part_amt: str
    acct_pay: str
    psn_cash_pay: str
    hosp_part_amt: str
    balc: str
    acct_mulaid_pay: str
    medins_setl_id: str
    clr_optins: str
    clr_way: str
    clr_type: str
    def __init__(self, mdtrt_id: _Optional[str] = ..., setl_id: _Optional[str] = ..., psn_no: _Optional[str] = ..., psn_name: _Optional[str] = ..., psn_cert_type: _Optional[str] = ..., certno: _Optional[str] = ..., gend: _Optional[str] = ..., naty: _Optional[str] = ..., brdy: _Optional[str] = ..., age: _Optional[str] = ..., insutype: _Optional[str] = ..., psn_type: _Optional[str] = ..., cvlserv_flag: _Optional[str] = ..., setl_time: _Optional[str] = ..., mdtrt_cert_type: _Optional[str] = ..., med_type: _Optional[str] = ..., medfee_sumamt: _Optional[str] = ..., fulamt_ownpay_amt: _Optional[str] = ..., overlmt_selfpay: _Optional[str] = ..., preselfpay_amt: _Optional[str] = ..., inscp_scp_amt: _Optional[str] = ..., act_pay_dedc: _Optional[str] = ..., hifp_pay: _Optional[str] = ..., pool_prop_selfpay: _Optional[str] = ..., cvlserv_pay: _Optional[str] = ..., hifes_pay: _Optional[str] = ..., hifmi_pay: _Optional[str] = ..., hifob_pay: _Optional[str] = ..., maf_pay: _Optional[str] = ..., oth_pay: _Optional[str] = ..., fund_pay_sumamt: _Optional[str] = ..., psn_part_amt: _Optional[str] = ..., acct_pay: _Optional[str] = ..., psn_cash_pay: _Optional[str] = ..., hosp_part_amt: _Optional[str] = ..., balc: _Optional[str] = ..., acct_mulaid_pay: _Optional[str] = ..., medins_setl_id: _Optional[str] = ..., clr_optins: _Optional[str] = ..., clr_way: _Optional[str] = ..., clr_type: _Optional[str] = ...) -> None: ...

class SetlDetail(_message.Message):
    __slots__ = ("fund_pay_type", "inscp_scp_amt", "crt_payb_lmt_amt", "fund_payamt", "fund_pay_type_name", "setl_proc_info")
    FUND_PAY_TYPE_FIELD_NUMBER: _ClassVar[int]
    INSCP_SCP_AMT_FIELD_NUMBER: _ClassVar[int]
    CRT_PAYB_LMT_AMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAYAMT_FIELD_NUMBER: _ClassVar[int]
    FUND_PAY_TYPE_NAME_FIELD_NUMBER: _ClassVar[int]
    SETL_PROC_INFO_FIELD_NUMBER: _ClassVar[int]
    fund_pay_type: str
    inscp_scp_amt: str
    crt_payb_lmt_amt: str
    fund_payamt: str
    fund_pay_type_name: str
    setl_proc_info: str
    def __init__(self, fund_pay_type: _Optional[str] = ..., inscp_scp_amt: _Optional[str] = ..., crt_payb_lmt_amt: _Optional[str] = ..., fund_payamt: _Optional[str] = ..., fund_pay_type_name: _Optional[str] = ..., setl_proc_info: _Optional[str] = ...) -> None: ...
