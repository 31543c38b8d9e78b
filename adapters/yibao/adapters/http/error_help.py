"""How to fix each refusal of the error catalogue (src/yibao/errors.py), as the inspector's catalogue page says it.

A code has its own advice when the message alone does not say what to change (most of all the transport's and the
envelope's, where a new integration fails first); every other code takes its category's advice.
"""

from __future__ import annotations

from yibao.errors import CATALOGUE, Category

BY_CATEGORY = {
    Category.ENVELOPE: "The message itself is wrong: correct the field the message names (its path is given) and send "
    "again with a new msgid; nothing was carried out.",
    Category.AUTHENTICATION: "The caller is not accepted: check the institution code, sign in with 9001 and use the "
    "sign_no it returns, and the signing keys or client certificate set up for the institution.",
    Category.BUSINESS: "The request is well formed but the business rule named refuses it: check the visit, "
    "settlement or person it names (follow the links in the inspector), correct, and send a new message.",
    Category.REGION_UNAVAILABLE: "The region is down: nothing was carried out. Retry after the time given, or settle "
    "manually as the message says.",
    Category.OVERLOAD: "The platform did not take this request: resend it unchanged, under the same msgid, after the "
    "delay given. Never a new msgid for the same settlement.",
    Category.INTERNAL: "Not the caller's fault: resend unchanged under the same msgid (Y5203 tells what happened to "
    "an earlier send), and give the operator the reference if it persists.",
}

BY_CODE = {
    "HTTP_JSON_MALFORMED": "Send the body as UTF-8 JSON: check quotes, commas and the encoding your HTTP library "
    "uses (the detail gives the position of the first error).",
    "HTTP_BODY_NOT_OBJECT": 'The body must be one JSON object {"infno": …, "input": {…}} with the envelope fields '
    "at its top level, not a list, string or number.",
    "HTTP_BODY_TOO_LARGE": "Split the fee items over several 2204/2301 calls of fewer items each.",
    "HTTP_CONTENT_TYPE": "Send the header Content-Type: application/json;charset=UTF-8.",
    "HTTP_METHOD": "Interface addresses take POST only; a browser's GET is no call.",
    "HTTP_PATH_UNKNOWN": "Post to …/fsi/api/callFsiService/callService, …/fsi/api/<service>/<method> or …/<infno> "
    "(docs/http.md lists the addresses).",
    "HTTP_INFNO_UNKNOWN": "Use one of the transaction codes listed in the message.",
    "HTTP_INFNO_PATH_MISMATCH": "The address names one transaction and the body's infno another: post to the "
    "address of the infno you send, or to the generic callService address.",
    "HTTP_WRONG_TYPE": "Send the field with the JSON type the message expects (a string in quotes, a number, an "
    "object or a list).",
    "HTTP_NUMBER_RANGE": "Send amounts as plain decimals with at most two places (e.g. 130.00).",
    "ENV_REQUIRED": "Fill in the field named; an empty string counts as missing.",
    "ENV_MSGID_FORMAT": "msgid = the institution's 12-character code + yyyyMMddHHmmss + a 4-digit sequence.",
    "ENV_MSGID_INSTITUTION": "Start msgid with the fixmedins_code the message is sent as.",
    "ENV_MSGID_REUSED": "A resend must repeat the earlier body exactly; a new call needs a new msgid.",
    "ENV_INF_TIME": "Set the HIS clock to the platform's time (Asia/Shanghai); inf_time is yyyy-MM-dd HH:mm:ss.",
    "ENV_INSUPLC": "Take insuplc_admdvs from the person's 1101 answer (insuinfo), never guess it.",
    "AUTH_SIGN_NO_UNKNOWN": "Sign in with 9001 and send the sign_no it returns in every later call.",
    "AUTH_SIGNED_OUT": "Sign in again with 9001.",
    "AUTH_TIF_SIGNATURE": "Compute x-tif-signature as the message says, over the same timestamp and nonce you send.",
    "AUTH_TIF_STALE": "Set the HIS clock right; x-tif-timestamp is the current time in seconds.",
    "AUTH_TIF_NONCE_REUSED": "Send a fresh random x-tif-nonce with every request.",
    "PSN_CERT_UNKNOWN": "Check the certificate type and number read from the card or voucher.",
    "MDTRT_NOT_FOUND": "Use the mdtrt_id returned by 2201/2401 for this visit.",
    "FEE_NOT_IN_CATALOGUE": "Map the item to its national catalogue code (med_list_codg) before uploading it.",
    "FEE_AMOUNT_MISMATCH": "det_item_fee_sumamt must equal cnt × pric to the fen.",
    "SETL_SUMAMT_MISMATCH": "medfee_sumamt must equal the total of the items uploaded and not yet settled.",
    "GATEWAY_BUSY": BY_CATEGORY[Category.OVERLOAD],
}


def how_to_fix(code: str) -> str:
    """The advice for a catalogue code ("" for a code the catalogue does not have)."""
    if code in BY_CODE:
        return BY_CODE[code]
    spec = CATALOGUE.get(code)
    return BY_CATEGORY.get(spec.category, "") if spec is not None else ""
