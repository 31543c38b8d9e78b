"""`yibao world show`: the demo world at hand, its fictional persons whole; a world file's persons masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yibao.cli import main

TEST_WORLD = Path(__file__).parents[1] / "test_world.json"


def _show(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["world", "show", *args]) == 0
    return capsys.readouterr().out


def test_the_demo_world_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    view = json.loads(_show(capsys, "--json"))
    assert "fictional" in view["note"]
    li = next(p for p in view["persons"] if p["psn_no"] == "11000000000000000002")
    assert (li["psn_name"], li["certno"], li["ec_token"]) == (
        "李晓梅",
        "110105198811020028",
        "EC1100000000000000000002",
    )
    assert (li["card_no"], li["account_balance"]) == ("B11000002", "860.50")
    assert li["insurances"] == [
        {
            "insutype": "310",
            "psn_type": "1101",
            "insuplc_admdvs": "110000",
            "insured_place": "北京市",
            "psn_insu_stas": "1",
        }
    ]
    hospital = next(i for i in view["institutions"] if i["fixmedins_code"] == "H11010100001")
    assert (hospital["type"], hospital["hosp_lv"], hospital["admdvs"]) == ("hospital", "3", "110000")
    assert view["catalogues"]["standard"]["regions"] == ["110000", "210400"]
    ct = next(i for i in view["catalogues"]["shenzhen"]["items"] if i["med_list_codg"] == "002102030010000-210203001")
    assert (ct["class"], ct["selfpay_prop"], ct["pric_uplmt_amt"]) == ("乙", "0.10", "200.00")
    assert view["benefits"]["110000"][1] == {
        "insutype": "310",
        "med_types": ["11", "12", "13", "19"],
        "psn_types": ["*"],
        "hosp_lvs": ["*"],
        "accum_group": "outpatient",
        "deductible": "1800.00",
        "ratio": "0.70",
        "annual_cap": "20000.00",
        "per_stay": False,
    }


def test_the_demo_world_as_tables(capsys: pytest.CaptureFixture[str]) -> None:
    out = _show(capsys)
    assert "H11010199999  北京市暂停结算示例医院        hospital (disabled)  2      110000 北京市" in out
    assert "11000000000000000002  李晓梅  110105198811020028  EC1100000000000000000002" in out
    assert "catalogue shenzhen (regions 440300) (9)" in out


def test_a_world_file_s_persons_are_masked_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    raw = json.loads(TEST_WORLD.read_text("utf-8"))
    first = raw["persons"][0]
    masked = json.loads(_show(capsys, "--world", str(TEST_WORLD), "--json"))
    shown = masked["persons"][0]
    assert shown["certno"] != first["certno"] and shown["certno"][-4:] == first["certno"][-4:]
    assert shown["psn_name"][0] == first["psn_name"][0] and "*" in shown["psn_name"]
    whole = json.loads(_show(capsys, "--world", str(TEST_WORLD), "--json", "--unmasked"))
    assert whole["persons"][0]["certno"] == first["certno"]


def test_a_broken_world_file_is_refused_by_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "w.json"
    bad.write_text('{"catalogues": {}, "regions": [{"admdvs": "1"}], "institutions": [], "persons": []}', "utf-8")
    assert main(["world", "show", "--world", str(bad)]) == 2
    assert "regions[0].admdvs" in capsys.readouterr().err
