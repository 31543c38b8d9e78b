"""9101 file upload and 9102 file download (files.proto; docs/files.md), served by the platform itself.

An upload is a zip (its Base64 text in national JSON), checked within bounds before it is kept
(yibao.storage.file_store); a download gives back a file the institution uploaded or had made (13xx catalogues,
3202 results), never another institution's. Neither is reversible by 2601: an upload changes nothing but adds a
file that expires by itself, and a download changes nothing.
"""

from __future__ import annotations

from yibao.call import CallContext
from yibao.domain.world import World
from yibao.errors import Refusal
from yibao.ids import new_id
from yibao.inputs import require
from yibao.storage import file_store
from yibao.storage.store import Tx
from yibao.v1 import files_pb2 as pb


def upload(world: World, tx: Tx, ctx: CallContext, inp: pb.FileUploadInput) -> pb.FileUploadOutput:
    d, path = inp.fsUploadIn, "input.fsUploadIn"
    require(d, path, "in", "filename", "fixmedins_code")
    data = getattr(d, "in")  # `in` is a Python keyword
    _own(ctx, d.fixmedins_code, path)
    file_store.zip_members(data, f"{path}.in")  # a readable zip within the bounds, or refused here
    row = file_store.save(tx, file_qury_no=new_id(ctx.mdtrtarea_admvs, ctx.now),
                          fixmedins_code=ctx.institution.fixmedins_code, filename=d.filename, made_by=ctx.infno,
                          content=data, now=ctx.now)  # fmt: skip
    return pb.FileUploadOutput(file_qury_no=row.file_qury_no, filename=row.filename, dld_endtime=row.expires_at)


def download(world: World, tx: Tx, ctx: CallContext, inp: pb.FileDownloadInput) -> pb.FileDownloadOutput:
    d, path = inp.fsDownloadIn, "input.fsDownloadIn"
    require(d, path, "file_qury_no", "fixmedins_code")
    _own(ctx, d.fixmedins_code, path)
    row = file_store.find(tx, d.file_qury_no, ctx.institution.fixmedins_code, ctx.now, f"{path}.file_qury_no")
    return pb.FileDownloadOutput(file=row.content, filename=row.filename, file_qury_no=row.file_qury_no)


def _own(ctx: CallContext, value: str, path: str) -> None:
    if value != ctx.institution.fixmedins_code:
        raise Refusal("FILE_INSTITUTION", f"{path}.fixmedins_code", value=value, code=ctx.institution.fixmedins_code)
