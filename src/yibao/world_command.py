"""`yibao world show [--world FILE] [--json]`: the world a gateway serves, as a HIS tester needs it at hand.

Institutions, persons with the certificates 1101 finds them by, their insurances and opening balances, each
catalogue's items with their class and caps, and each region's benefit rules (docs/world-format.md).

The built-in demo world's persons are fictional, so their names and certificate numbers are shown whole: a tester
types them into a HIS. A world file of one's own may hold real people's data, so there they are masked
(src/yibao/masking.py) unless `--unmasked` says the file is a test world too.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from typing import Any

from yibao.domain.benefit_policy import BenefitRule
from yibao.domain.catalogue_split import CatalogueItem
from yibao.domain.world import HOSPITAL, Person, World
from yibao.masking import mask_id, mask_name
from yibao.world.loader import WorldFormatError, load_world, world_text

KINDS = {HOSPITAL: "hospital", "2": "pharmacy"}
LEVELS = {"01": "甲", "02": "乙", "03": "丙"}
FICTIONAL = "the built-in demo world's persons are fictional: names and certificate numbers are shown whole"
MASKED = "names and certificate numbers masked (a world file may hold real persons); --unmasked shows them whole"


def add_arguments(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("world", help="show the world a gateway serves: institutions, persons, catalogues, benefits")
    cmds = p.add_subparsers(dest="world_command", required=True)
    show = cmds.add_parser("show", help="print the world (the built-in demo unless --world FILE)")
    show.add_argument("--world", default=None, help="world file (docs/world-format.md); default: the built-in demo")
    show.add_argument("--json", action="store_true", help="print JSON instead of tables")
    show.add_argument(
        "--unmasked",
        action="store_true",
        help="show a world file's names and certificate numbers whole (the demo's always are)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        raw = json.loads(world_text(args.world))
        world = load_world(args.world)
    except (OSError, ValueError, WorldFormatError) as e:
        print(f"yibao world: cannot load world: {e}", file=sys.stderr)
        return 2
    whole = args.world is None or args.unmasked
    view = describe(world, catalogue_names(raw), whole)
    sys.stdout.write(json.dumps(view, ensure_ascii=False, indent=2) + "\n" if args.json else as_text(view))
    return 0


def catalogue_names(raw: dict[str, Any]) -> dict[str, str]:
    """admdvs → the name of the catalogue the region's world file entry names (the loaded world keeps no names)."""
    return {str(r.get("admdvs")): str(r.get("catalogue")) for r in raw.get("regions", []) if isinstance(r, dict)}


def describe(world: World, names: dict[str, str], whole: bool) -> dict[str, Any]:
    """The world as plain JSON-ready data; `whole` False masks persons' names and certificate numbers."""
    catalogues: dict[str, dict[str, Any]] = {}
    for admdvs, region in world.regions.items():
        name = names.get(admdvs, admdvs)
        entry = catalogues.setdefault(name, {"regions": [], "items": [_item(i) for i in region.catalogue.values()]})
        entry["regions"].append(admdvs)
    return {
        "note": FICTIONAL if whole else MASKED,
        "regions": [
            {"admdvs": r.admdvs, "name": r.name, "catalogue": names.get(r.admdvs, "")} for r in world.regions.values()
        ],
        "institutions": [
            {
                "fixmedins_code": i.fixmedins_code,
                "fixmedins_name": i.fixmedins_name,
                "type": KINDS.get(i.fixmedins_type, i.fixmedins_type),
                "hosp_lv": i.hosp_lv,
                "admdvs": i.admdvs,
                "region": world.regions[i.admdvs].name,
                "enabled": i.enabled,
            }
            for i in world.institutions.values()
        ],
        "persons": [_person(p, world, whole) for p in world.persons.values()],
        "catalogues": catalogues,
        "benefits": {admdvs: [_rule(b) for b in r.benefits] for admdvs, r in world.regions.items()},
    }


def _money(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _item(i: CatalogueItem) -> dict[str, Any]:
    return {
        "med_list_codg": i.med_list_codg,
        "name": i.name,
        "list_type": i.list_type,
        "chrgitm_lv": i.chrgitm_lv,
        "class": LEVELS.get(i.chrgitm_lv, i.chrgitm_lv),
        "selfpay_prop": str(i.selfpay_prop),
        "pric_uplmt_amt": _money(i.pric_uplmt_amt),
        "payable": i.payable,
        "lmt_used_flag": i.lmt_used_flag,
    }


def _rule(b: BenefitRule) -> dict[str, Any]:
    return {
        "insutype": b.insutype,
        "med_types": list(b.med_types),
        "psn_types": list(b.psn_types),
        "hosp_lvs": list(b.hosp_lvs),
        "accum_group": b.accum_group,
        "deductible": str(b.deductible),
        "ratio": str(b.ratio),
        "annual_cap": str(b.annual_cap),
        "per_stay": b.per_stay,
    }


def _person(p: Person, world: World, whole: bool) -> dict[str, Any]:
    def cert(value: str) -> str:
        return value if whole or not value else mask_id(value)

    return {
        "psn_no": p.psn_no,
        "psn_name": p.psn_name if whole else mask_name(p.psn_name),
        "brdy": p.brdy.isoformat(),
        "certno": cert(p.certno),
        "ec_token": cert(p.ec_token),
        "card_no": cert(p.card_no),
        "card_sn": cert(p.card_sn),
        "account_balance": str(p.account_balance),
        "insurances": [
            {
                "insutype": i.insutype,
                "psn_type": i.psn_type,
                "insuplc_admdvs": i.insuplc_admdvs,
                "insured_place": world.regions[i.insuplc_admdvs].name,
                "psn_insu_stas": i.psn_insu_stas,
            }
            for i in p.insurances
        ],
        "family_holder": world.family_holder.get(p.psn_no, ""),
    }


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[k]) for r in [header, *rows]) for k in range(len(header))]
    lines = [f"{title} ({len(rows)})"]
    for row in [header, *rows]:
        lines.append("  " + "  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n\n"


def _width(text: str) -> int:
    """Columns a terminal gives `text`: CJK characters take two."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def as_text(view: dict[str, Any]) -> str:
    """The view as aligned tables, one per kind of thing."""
    out = [f"# {view['note']}\n\n"]
    out.append(
        _table(
            "institutions",
            ["code", "name", "type", "level", "region"],
            [
                [
                    i["fixmedins_code"],
                    i["fixmedins_name"],
                    i["type"] + ("" if i["enabled"] else " (disabled)"),
                    i["hosp_lv"],
                    f"{i['admdvs']} {i['region']}",
                ]
                for i in view["institutions"]
            ],
        )
    )
    rows = []
    for p in view["persons"]:
        insured = ", ".join(
            f"{i['insutype']}/{i['psn_type']} @ {i['insuplc_admdvs']} {i['insured_place']}"
            + ("" if i["psn_insu_stas"] == "1" else f" (stas {i['psn_insu_stas']})")
            for i in p["insurances"]
        )
        rows.append(
            [
                p["psn_no"],
                p["psn_name"],
                p["certno"],
                p["ec_token"] or "-",
                f"{p['card_no']} {p['card_sn']}".strip() or "-",
                p["account_balance"],
                insured,
            ]
        )
    out.append(
        _table(
            "persons",
            [
                "psn_no",
                "name",
                "certno (02)",
                "ec_token (01)",
                "card_no card_sn (03)",
                "balance",
                "insurances (insutype/psn_type @ insured place)",
            ],
            rows,
        )
    )
    for name, cat in view["catalogues"].items():
        out.append(
            _table(
                f"catalogue {name} (regions {', '.join(cat['regions'])})",
                ["med_list_codg", "name", "type", "class", "selfpay_prop", "price cap", "notes"],
                [
                    [
                        i["med_list_codg"],
                        i["name"],
                        i["list_type"],
                        i["class"],
                        i["selfpay_prop"],
                        i["pric_uplmt_amt"] or "-",
                        ("not payable " if not i["payable"] else "")
                        + ("restricted" if i["lmt_used_flag"] == "1" else ""),
                    ]
                    for i in cat["items"]
                ],
            )
        )
    for admdvs, rules in view["benefits"].items():
        out.append(
            _table(
                f"benefits of insured place {admdvs}",
                ["insutype", "med_types", "psn_types", "hosp_lvs", "group", "deductible", "ratio", "cap"],
                [
                    [
                        b["insutype"],
                        ",".join(b["med_types"]),
                        ",".join(b["psn_types"]),
                        ",".join(b["hosp_lvs"]),
                        b["accum_group"] + (" per stay" if b["per_stay"] else ""),
                        b["deductible"],
                        b["ratio"],
                        b["annual_cap"],
                    ]
                    for b in rules
                ],
            )
        )
    return "".join(out)
