"""The bounds an uploaded zip is read within (src/yibao/storage/file_store.py; docs/files.md): whatever its
directory claims, at most MAX_MEMBERS files and MAX_UNZIPPED bytes inflated, counted while inflating."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest

from yibao.errors import Refusal
from yibao.storage import file_store

FIELD = "input.fsUploadIn.in"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refusal(data: bytes) -> Refusal:
    with pytest.raises(Refusal) as e:
        file_store.zip_members(data, FIELD)
    assert e.value.field == FIELD
    return e.value


def test_a_zip_made_here_reads_back_member_for_member() -> None:
    data = file_store.make_zip([("目录.txt", "甲\n".encode()), ("b.txt", b"")], datetime(2026, 3, 15, 10, 0, 0))
    assert file_store.zip_members(data, FIELD) == [("目录.txt", "甲\n".encode()), ("b.txt", b"")]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("目录.txt").date_time == (2026, 3, 15, 10, 0, 0)


def test_more_than_sixteen_files_is_no_zip_of_ours() -> None:
    assert file_store.zip_members(zipped({f"{n}.txt": b"x" for n in range(16)}), FIELD)
    r = refusal(zipped({f"{n}.txt": b"x" for n in range(17)}))
    assert (r.code, r.params["detail"]) == ("FILE_NOT_ZIP", "含 17 个文件，最多 16 个")


def test_inflating_stops_at_the_bound_even_when_the_directory_understates_the_size() -> None:
    assert refusal(zipped({"zeros.txt": bytes(file_store.MAX_UNZIPPED + 1)})).code == "FILE_UNZIPPED_TOO_LARGE"
    # two members, each under the bound, together over it
    half = bytes(file_store.MAX_UNZIPPED // 2 + 1)
    assert refusal(zipped({"a.txt": half, "b.txt": half})).code == "FILE_UNZIPPED_TOO_LARGE"
    # a directory that claims 10 bytes for 1 MiB: zipfile reads no more than claimed, and the CRC then fails
    data = bytearray(zipped({"a.txt": bytes(1024 * 1024)}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size in the central directory
    assert refusal(bytes(data)).code == "FILE_NOT_ZIP"


def test_an_encrypted_member_a_bad_crc_or_no_zip_at_all_is_refused() -> None:
    data = bytearray(zipped({"a.txt": b"hello"}))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # the encryption flag in both headers
        at = data.index(header) + (6 if header == b"PK\x03\x04" else 8)
        data[at] |= 0x1
    assert refusal(bytes(data)).params["detail"] == "a.txt 已加密"
    data = bytearray(zipped({"a.txt": b"hello hello hello"}))
    crc_at = data.index(b"PK\x01\x02") + 16  # the CRC the central directory gives, which zipfile checks
    data[crc_at] ^= 0xFF
    assert refusal(bytes(data)).code == "FILE_NOT_ZIP"
    assert refusal(b"psn_no\tsetl_id\n").code == "FILE_NOT_ZIP"
    assert refusal(zipped({})).params["detail"] == "不含任何文件"
    assert refusal(bytes(file_store.MAX_ZIP + 1)).code == "FILE_TOO_LARGE"
