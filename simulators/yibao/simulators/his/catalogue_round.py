"""A HIS refreshing its catalogues (kind `catalogue`, docs/files.md): the script names a catalogue download of
the world's lists (1301 西药中成药, 1302 中药饮片, 1303 制剂, 1305 服务项目, 1306 耗材) and one of the lists the world
does not hold (1307–1315); each file is fetched with 9102 and read: one tab-separated text file whose rows are
`data_cn`, and for the world's lists exactly the region catalogue's entries of those list types. Then the desk
uploads the price list it now bills by (9101, a zip of `code<TAB>price` lines) and fetches it back with 9102:
the same bytes. Nothing is settled: the kind gives no receipts.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from yibao.domain.catalogue_split import CatalogueItem
from yibao.domain.world import World
from yibao.simulators.his.bill import list_price
from yibao.simulators.his.client import HisClient
from yibao.simulators.his.receipt import HisCheckFailed, Receipt
from yibao.simulators.his.scripts import VisitScript
from yibao.v1 import catalogue_file_pb2 as cpb
from yibao.v1 import files_pb2 as fpb

# the world file's list_type each download takes (docs/files.md); the other 13xx lists are empty in a world
LIST_TYPES: Mapping[str, frozenset[str]] = {
    "1301": frozenset({"101", "102"}),
    "1302": frozenset({"103"}),
    "1303": frozenset({"104"}),
    "1305": frozenset({"201"}),
    "1306": frozenset({"301"}),
}
EMPTY_LISTS = ("1307", "1308", "1309", "1310", "1311", "1313", "1314", "1315")


def run_catalogue(client: HisClient, world: World, script: VisitScript) -> list[Receipt]:
    if not client.signed_in:
        client.sign_in()
    catalogue = world.regions[client.institution.admdvs].catalogue
    problems = []
    for infno in script.flags:
        problems += check_download(client, infno, catalogue)
    problems += upload_price_list(client, catalogue)
    if problems:
        raise HisCheckFailed("HIS_FILE_MISMATCH", problems)
    return []


def check_download(client: HisClient, infno: str, catalogue: Mapping[str, CatalogueItem]) -> list[str]:
    out = client.call(infno, cpb.CatalogueDownloadInput(data=cpb.CatalogueDownloadData(ver="0"))).output
    text = unzip_one(download(client, out.file_qury_no, "plc"), infno)
    rows = text.splitlines()[1:]  # the first line: the column names
    problems = []
    if len(rows) != int(out.data_cn or "0"):
        problems.append(f"{infno} data_cn {out.data_cn}, its file holds {len(rows)} rows")
    if infno in LIST_TYPES:
        codes = sorted(line.split("\t", 1)[0] for line in rows)
        expected = sorted(code for code, item in catalogue.items() if item.list_type in LIST_TYPES[infno])
        if codes != expected:
            have = len(expected)
            problems.append(f"{infno} lists {len(codes)} codes, the region's catalogue has {have} of its types")
    return problems


def upload_price_list(client: HisClient, catalogue: Mapping[str, CatalogueItem]) -> list[str]:
    """9101 of the desk's price list, then 9102: the zip comes back byte for byte."""
    lines = "".join(f"{code}\t{list_price(item):.2f}\n" for code, item in sorted(catalogue.items()))
    sent = zipped("prices.txt", lines)
    code = client.institution.fixmedins_code
    upload = fpb.FsUploadIn(filename="prices.zip", fixmedins_code=code)
    setattr(upload, "in", sent)  # `in` is a Python keyword
    file_qury_no = client.call("9101", fpb.FileUploadInput(fsUploadIn=upload)).output.file_qury_no
    back = download(client, file_qury_no, "prices.zip")
    return [] if back == sent else [f"9102 of {file_qury_no} gives {len(back)} bytes, 9101 sent {len(sent)}"]


def download(client: HisClient, file_qury_no: str, filename: str) -> bytes:
    query = fpb.FsDownloadIn(file_qury_no=file_qury_no, filename=filename,
                             fixmedins_code=client.institution.fixmedins_code)  # fmt: skip
    data: bytes = client.call("9102", fpb.FileDownloadInput(fsDownloadIn=query)).output.file
    return data


def unzip_one(data: bytes, infno: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        if len(names) != 1:
            raise HisCheckFailed("HIS_FILE_MISMATCH", [f"{infno}'s zip holds {len(names)} files, not 1"])
        return zf.read(names[0]).decode("utf-8")


def zipped(name: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # fixed: equal lists give equal bytes
        zf.writestr(info, text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
