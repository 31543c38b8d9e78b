"""Property-based fuzzing of the HTTP entry point: whatever broken body a client sends — malformed
JSON, wrong types, huge values, missing keys, a wrong infno — the answer is a national reply with
infcode -1 and a catalogued error code (never INTERNAL, never an HTTP 500), and nothing is written
but the journal and the remembered refusal.

Each example starts from a valid envelope of a real transaction (with a live sign_no, visit and
batch) and applies at least one change that must make it invalid, so any acceptance is a bug too.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from conftest import Served
from http_lab import DISPATCH, HttpHis, to_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lab import Item, Lab
from sqlalchemy import func, select

from yibao.adapters.http.paths import path_of
from yibao.errors import CATALOGUE
from yibao.gateway.envelope import MAX_LEN, REQUIRED
from yibao.storage import schema as t

EXAMPLES = 200
JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=12,
)
WRONG_FOR_SCALAR = (
    st.booleans() | st.lists(JSON_LEAVES, max_size=3) | st.dictionaries(st.text(max_size=5), JSON_LEAVES, max_size=3)
)
WRONG_FOR_NODE = st.booleans() | st.integers() | st.text(max_size=10)


def bases(his: HttpHis, lab: Lab) -> dict[str, tuple[str, dict[str, Any]]]:
    """Valid bodies (and the Hebei path) of five transactions, built once per test."""
    cached = getattr(his, "_fuzz_bases", None)
    if cached is not None:
        return cached
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "1", "50.00")])
    fee = {
        "feedetl_sn": "FZ1", "mdtrt_id": mdtrt_id, "psn_no": "P0001", "chrg_bchno": "B9", "rx_circ_flag": "0",
        "fee_ocur_time": f"{lab.clock():%Y-%m-%d %H:%M:%S}", "med_list_codg": "A01", "medins_list_codg": "H-A01",
        "det_item_fee_sumamt": "50.00", "cnt": "1", "pric": "50.00", "bilg_dept_codg": "A03",
        "bilg_dept_name": "内科", "bilg_dr_codg": "D001", "bilg_dr_name": "张医生", "hosp_appr_flag": "0",
    }  # fmt: skip
    settle = {
        "psn_no": "P0001", "mdtrt_cert_type": "01", "mdtrt_cert_no": "EC0001", "med_type": "11",
        "medfee_sumamt": "50.00", "psn_setlway": "01", "mdtrt_id": mdtrt_id, "chrg_bchno": "B1",
        "acct_used_flag": "1", "insutype": "310",
    }  # fmt: skip
    inputs = {
        "9001": ({"signIn": {"opter_no": "OP01", "ip": "10.0.0.8"}}, None),
        "1101": ({"data": {"mdtrt_cert_type": "01", "mdtrt_cert_no": "EC0001", "psn_cert_type": "01"}}, None),
        "2204": ({"feedetail": [fee]}, "P0001"),
        "2206": ({"data": settle}, "P0001"),
        "2207": ({"data": settle}, "P0001"),
    }
    built = {infno: (path_of(infno) or DISPATCH, {"input": inp, "psn": psn}) for infno, (inp, psn) in inputs.items()}
    his._fuzz_bases = built  # type: ignore[attr-defined]
    return built


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) in a JSON tree, nodes included."""
    found = [(path, node)] if path else []
    if isinstance(node, dict):
        for k, v in node.items():
            found += leaves(v, (*path, k))
    elif isinstance(node, list):
        for n, v in enumerate(node):
            found += leaves(v, (*path, n))
    return found


def put(node: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@st.composite
def broken(draw: st.DrawFn, infnos: list[str]) -> dict[str, Any]:
    """A plan: which transaction, which guaranteed-invalid change, and harmless noise."""
    kind = draw(
        st.sampled_from(
            ["truncated", "junk_after", "not_object", "random_object", "wrong_type", "drop_required",
             "huge_text", "huge_number", "huge_integer", "unknown_infno", "path_mismatch", "no_input"]
        )
    )  # fmt: skip
    return {
        "infno": draw(st.sampled_from(infnos)),
        "kind": kind,
        "seed": draw(st.integers(0, 10**6)),
        "value": draw(
            {
                "wrong_type": st.tuples(WRONG_FOR_SCALAR, WRONG_FOR_NODE),
                "drop_required": st.sets(st.sampled_from(REQUIRED), min_size=1),
                "huge_text": st.tuples(st.sampled_from(sorted(MAX_LEN)), st.integers(2001, 60_000)),
                "huge_number": st.integers(101, 100_000),
                "huge_integer": st.integers(2001, 4000),
                "unknown_infno": st.text(min_size=1, max_size=8).filter(lambda s: s.strip() and s not in infnos),
                "random_object": JSON_VALUES,
                "not_object": JSON_LEAVES | st.lists(JSON_VALUES, max_size=3),
                "junk_after": st.text('xyz]}0"', min_size=1, max_size=5),
            }.get(kind, st.none())
        ),
        "extra": draw(st.dictionaries(st.sampled_from(["vendor", "token", "x"]), JSON_LEAVES, max_size=2)),
    }


def business_state(served: Served) -> tuple[int, ...]:
    with served.store.read() as tx:
        counts = [
            tx.conn.scalar(select(func.count()).select_from(table))
            for table in (t.signin, t.visit, t.fee, t.settlement, t.accumulator)
        ]
        balances = tx.conn.scalar(select(func.coalesce(func.sum(t.person_state.c.acct_balc_fen), 0)))
        accepted = tx.conn.scalar(select(func.count()).select_from(t.message).where(t.message.c.refused.is_(False)))
    return (*counts, int(balances), accepted)  # type: ignore[arg-type]


def realise(plan: dict[str, Any], his: HttpHis, lab: Lab) -> tuple[str, bytes]:
    """The (path, raw body) a plan describes."""
    import random

    rnd = random.Random(plan["seed"])
    path, base = bases(his, lab)[plan["infno"]]
    body = {**his.envelope(plan["infno"], psn=base["psn"]), "input": json.loads(json.dumps(base["input"]))}
    known = set(body)  # the noise added next is ignored by the gateway: never the invalid part
    body.update(plan["extra"])
    kind, value = plan["kind"], plan["value"]
    if kind == "wrong_type":
        spots = [
            (p, v) for p, v in leaves(body) if p[0] in known and not (isinstance(v, list) and p[-1] == "feedetail")
        ]
        where, current = rnd.choice(spots)
        put(body, where, value[1] if isinstance(current, dict) else value[0])
    elif kind == "drop_required":
        for name in value:
            body.pop(name, None)
    elif kind == "huge_text":
        body[value[0]] = "长" * value[1]
    elif kind == "huge_number":
        numeric = [p for p, v in leaves(body) if isinstance(v, str) and p[0] in known]
        return path, to_json_with(body, rnd.choice(numeric), f"1E+{value}").encode()
    elif kind == "huge_integer":
        return path, to_json_with(body, (rnd.choice(sorted(MAX_LEN)),), "9" * value).encode()
    elif kind == "unknown_infno":
        body["infno"] = value
        path = DISPATCH
    elif kind == "path_mismatch":
        other = rnd.choice([n for n in ("9001", "1101", "2204", "2207") if n != plan["infno"]])
        path = rnd.choice([path_of(other) or DISPATCH, f"/hsa/hgs/{other}"])
    elif kind == "no_input":
        del body["input"]
    elif kind == "random_object":
        body = value if isinstance(value, dict) else {"input": value}
        body.pop("infno", None)
    elif kind == "not_object":
        return path, json.dumps(value).encode()
    text = to_json(body).encode()
    if kind == "truncated":
        return path, text[: rnd.randrange(len(text))]
    if kind == "junk_after":
        return path, text + value.encode()
    return path, text


def to_json_with(body: dict[str, Any], where: tuple[Any, ...], raw_number: str) -> str:
    """The body's JSON with a raw number literal at `where` (beyond what Python numbers hold)."""
    marker = "__RAW_NUMBER__"
    copy = json.loads(json.dumps(body))
    put(copy, where, marker)
    return to_json(copy).replace(f'"{marker}"', raw_number)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_broken_requests_get_a_catalogued_refusal_and_write_nothing(
    data: st.DataObject, his: HttpHis, lab: Lab, served: Served
) -> None:
    infnos = sorted(bases(his, lab))
    plan = data.draw(broken(infnos))
    path, raw = realise(plan, his, lab)
    before = business_state(served)
    status, reply, headers = his.request("POST", path, raw)
    assert status in (200, 404), (plan["kind"], status, reply[:300])
    assert headers["content-type"].startswith("application/json")
    answer = json.loads(reply, parse_float=Decimal)
    assert answer["infcode"] == -1, (plan["kind"], answer)
    code = answer["err_msg"].split("]")[0].lstrip("[")
    assert code in CATALOGUE and code != "INTERNAL", (plan["kind"], answer["err_msg"])
    assert business_state(served) == before, plan["kind"]
