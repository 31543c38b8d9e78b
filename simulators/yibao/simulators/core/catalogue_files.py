"""1301–1303, 1305–1311, 1313–1315 catalogue downloads as files (catalogue_file.proto; docs/files.md).

Each makes a zip of one text file from the catalogue of the calling institution's region (the treatment place's,
the one its fee items are split by) and keeps it for that institution (yibao.storage.file_store), which fetches
it with 9102. The world's catalogue holds drugs, services and consumables; the lists it holds nothing of
(diseases, operations, …) come as a file of their column names alone, data_cn 0.
"""

from __future__ import annotations

from collections.abc import Callable

from yibao.call import CallContext
from yibao.domain.catalogue_split import CatalogueItem
from yibao.domain.world import World
from yibao.ids import new_id
from yibao.simulators.core.values import catalogue_file as v
from yibao.storage import file_store
from yibao.storage.store import Tx
from yibao.timetext import compact

ITEM_COLUMNS = ("med_list_codg", "med_list_name", "insu_admdvs", "list_type", "med_chrgitm_type", "chrgitm_lv",
                "lmt_used_flag", "lmt_dscr", "selfpay_prop", "pric_uplmt_amt", "payable_flag", "bas_medn_flag",
                "hi_nego_drug_flag", "chld_medc_flag", "list_sp_item_flag", "vali_flag")  # fmt: skip
# infno: the list_type values of the world's catalogue it takes (101 西药 102 中成药 103 中药饮片 104 自制剂
# 201 服务项目 301 医用材料)
ITEM_LISTS: dict[str, tuple[str, ...]] = {
    "1301": ("101", "102"),
    "1302": ("103",),
    "1303": ("104",),
    "1305": ("201",),
    "1306": ("301",),
}
# infno: the columns of a list the world holds nothing of (its code, its name, vali_flag)
EMPTY_LISTS: dict[str, tuple[str, ...]] = {
    "1307": ("diag_list_codg", "diag_list_name", "vali_flag"),
    "1308": ("oprn_oprt_code", "oprn_oprt_name", "vali_flag"),
    "1309": ("opsp_dise_code", "opsp_dise_name", "vali_flag"),
    "1310": ("bydise_setl_list_code", "bydise_setl_dise_name", "vali_flag"),
    "1311": ("daysrg_dise_list_code", "daysrg_dise_name", "vali_flag"),
    "1313": ("tumr_morp_code", "tumr_morp_name", "vali_flag"),
    "1314": ("tcm_dise_code", "tcm_dise_name", "vali_flag"),
    "1315": ("tcm_syndrome_code", "tcm_syndrome_name", "vali_flag"),
}
LISTS = tuple(sorted((*ITEM_LISTS, *EMPTY_LISTS)))  # the transactions served here
SEPARATOR, NEWLINE = "\t", "\n"


def download_catalogue(
    world: World, tx: Tx, ctx: CallContext, inp: v.CatalogueDownloadInput
) -> v.CatalogueDownloadOutput:
    """13xx: the region's list of this transaction as a zip kept for the caller; `ver` is not needed (the
    world's catalogues have one version, so the whole list comes every time)."""
    admdvs = ctx.mdtrtarea_admvs
    columns, rows = catalogue_rows(world, ctx.infno, admdvs)
    stem = f"{ctx.infno}_{admdvs}_{compact(ctx.now)}"
    content = file_store.make_zip([(f"{stem}.txt", table_text(columns, rows))], ctx.now)
    row = file_store.save(tx, file_qury_no=new_id(admdvs, ctx.now), fixmedins_code=ctx.institution.fixmedins_code,
                          filename=f"{stem}.zip", made_by=ctx.infno, content=content, now=ctx.now)  # fmt: skip
    return v.CatalogueDownloadOutput(file_qury_no=row.file_qury_no, filename=row.filename,
                                     dld_end_time=row.expires_at, data_cn=str(len(rows)))  # fmt: skip


def catalogue_rows(world: World, infno: str, admdvs: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The columns and rows (by med_list_codg) of list `infno` of region `admdvs`'s catalogue."""
    if infno in EMPTY_LISTS:
        return EMPTY_LISTS[infno], []
    kinds = ITEM_LISTS[infno]
    catalogue = world.regions[admdvs].catalogue
    items = [item for code, item in sorted(catalogue.items()) if item.list_type in kinds]
    return ITEM_COLUMNS, [tuple(_cell(item, admdvs, c) for c in ITEM_COLUMNS) for item in items]


def table_text(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> bytes:
    """UTF-8 text: the column names, then one line per row, fields separated by a tab."""
    lines = [SEPARATOR.join(columns), *(SEPARATOR.join(r) for r in rows)]
    return (NEWLINE.join(lines) + NEWLINE).encode()


_CELLS: dict[str, Callable[[CatalogueItem], str]] = {
    "med_list_name": lambda i: i.name,
    "selfpay_prop": lambda i: str(i.selfpay_prop),
    "pric_uplmt_amt": lambda i: "" if i.pric_uplmt_amt is None else str(i.pric_uplmt_amt),
    "payable_flag": lambda i: "1" if i.payable else "0",
    "vali_flag": lambda i: "1",  # every entry of the world's catalogues is in force
}


def _cell(item: CatalogueItem, admdvs: str, column: str) -> str:
    if column == "insu_admdvs":
        return admdvs
    text = _CELLS[column](item) if column in _CELLS else str(getattr(item, column))
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text  # a field never breaks a row
