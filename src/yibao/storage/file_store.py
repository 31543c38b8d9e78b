"""The files exchanged with 9101 upload and 9102 download (table stored_file; docs/files.md).

Every file is a zip, kept sealed in the store (an upload may hold names) and seen only by the institution that
uploaded it or had it made (13xx catalogues, 3202 results), until it expires. A zip from outside is read only
within bounds, whatever its directory claims: at most MAX_ZIP bytes as sent, MAX_MEMBERS files, MAX_UNZIPPED
bytes once inflated, counted while inflating (a zip bomb is stopped at the bound, not after), so an upload costs
the platform bounded memory and time.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from yibao.errors import Refusal
from yibao.storage import schema as t
from yibao.storage.rows import StoredFileRow
from yibao.storage.store import Tx
from yibao.timetext import datetime_text

MAX_ZIP = 3 * 1024 * 1024  # as sent: it fits a gRPC message (4 MiB by default), its Base64 the HTTP body (8 MiB)
MAX_UNZIPPED = 32 * 1024 * 1024  # all its files inflated: some 200 000 rows of 3202 detail
MAX_MEMBERS = 16
MAX_LIVE_UPLOADS = 64 * 1024 * 1024  # an institution's unexpired uploads together (the platform's disk)
LIFETIME = timedelta(hours=24)  # dld_endtime: a file is downloadable for a day after it is made
_CHUNK = 64 * 1024


def zip_members(data: bytes, field: str) -> list[tuple[str, bytes]]:
    """The files of zip `data` (name, content), read within the bounds; a refusal naming `field` otherwise."""
    if len(data) > MAX_ZIP:
        raise Refusal("FILE_TOO_LARGE", field, size=len(data), max=MAX_ZIP)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise Refusal("FILE_NOT_ZIP", field, detail=f"含 {len(infos)} 个文件，最多 {MAX_MEMBERS} 个",
                          detail_en=f"it holds {len(infos)} files, at most {MAX_MEMBERS}")  # fmt: skip
        budget, members = MAX_UNZIPPED, []
        for info in infos:
            if info.flag_bits & 0x1:
                detail = f"{info.filename} 已加密"
                raise Refusal("FILE_NOT_ZIP", field, detail=detail, detail_en=f"{info.filename} is encrypted")
            content = _inflate(archive, info, budget, field)
            budget -= len(content)
            members.append((info.filename, content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as e:
        raise Refusal("FILE_NOT_ZIP", field, detail=str(e)[:200], detail_en=str(e)[:200]) from None
    if not members:
        raise Refusal("FILE_NOT_ZIP", field, detail="不含任何文件", detail_en="it holds no file")
    return members


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, field: str) -> bytes:
    """One member inflated chunk by chunk, stopped as soon as it passes `budget` (its declared size may lie);
    zipfile checks its CRC at the end."""
    if info.file_size > budget:
        raise Refusal("FILE_UNZIPPED_TOO_LARGE", field, max=MAX_UNZIPPED)
    out = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            if len(out) > budget:
                raise Refusal("FILE_UNZIPPED_TOO_LARGE", field, max=MAX_UNZIPPED)
    return bytes(out)


def make_zip(members: list[tuple[str, bytes]], now: datetime) -> bytes:
    """A zip of `members` (name, content), deflated, each stamped with the platform time `now`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # the name is UTF-8 (Chinese names read right in every unzip tool)
            archive.writestr(info, content)
    return buffer.getvalue()


def save(tx: Tx, *, file_qury_no: str, fixmedins_code: str, filename: str, made_by: str, content: bytes,
         now: datetime) -> StoredFileRow:  # fmt: skip
    """Keep a file for `fixmedins_code` until now + LIFETIME; its expired files go first. An upload (made_by
    9101) beyond the institution's MAX_LIVE_UPLOADS is refused."""
    f = t.stored_file
    tx.conn.execute(delete(f).where(f.c.fixmedins_code == fixmedins_code, f.c.expires_at <= datetime_text(now)))
    if made_by == "9101":
        live = tx.conn.scalar(
            select(func.coalesce(func.sum(f.c.size), 0)).where(f.c.fixmedins_code == fixmedins_code,
                                                              f.c.made_by == "9101")
        )  # fmt: skip
        if int(live or 0) + len(content) > MAX_LIVE_UPLOADS:
            raise Refusal("FILE_QUOTA", "input.fsUploadIn.in", code=fixmedins_code, max=MAX_LIVE_UPLOADS,
                          hours=int(LIFETIME.total_seconds() // 3600))  # fmt: skip
    row = StoredFileRow(file_qury_no, fixmedins_code, filename, made_by, content, len(content),
                        datetime_text(now), datetime_text(now + LIFETIME))  # fmt: skip
    tx.conn.execute(insert(f).values(**row._asdict()))
    return row


def find(tx: Tx, file_qury_no: str, fixmedins_code: str, now: datetime, field: str) -> StoredFileRow:
    """The institution's file `file_qury_no`. Another institution's file is refused as unknown: whether it
    exists is not the caller's business."""
    f = t.stored_file
    row = tx.fetch_one(select(*f.columns).where(f.c.file_qury_no == file_qury_no), StoredFileRow)
    if row is None or row.fixmedins_code != fixmedins_code:
        raise Refusal("FILE_NOT_FOUND", field, file_qury_no=file_qury_no, code=fixmedins_code)
    if row.expires_at <= datetime_text(now):
        raise Refusal("FILE_EXPIRED", field, file_qury_no=file_qury_no, time=row.expires_at)
    return row
