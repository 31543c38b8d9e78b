"""Personal data at rest (src/yibao/storage/sealing.py): the data key, sealed values, the blind index, and a
store refused when opened with another key."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from yibao.storage.sealing import (
    ENV_KEY,
    DataKey,
    DataKeyError,
    SealBroken,
    Sealer,
    create_key_file,
    default_key_path,
    resolve_key,
)
from yibao.storage.store import Store, StoreUnusable

ID_NUMBER = "110101199003070019"
KEY_A = DataKey(bytes(range(32)), "test key A")
KEY_B = DataKey(bytes(range(1, 33)), "test key B")


def test_a_sealed_value_opens_only_in_its_column_and_with_its_key() -> None:
    sealer = Sealer(KEY_A)
    sealed = sealer.seal(ID_NUMBER.encode(), b"visit.mdtrt_cert_no")
    assert ID_NUMBER.encode() not in sealed
    assert len(sealed) == 1 + 12 + len(ID_NUMBER) + 16  # version, nonce, ciphertext, tag
    assert sealer.open(sealed, b"visit.mdtrt_cert_no") == ID_NUMBER.encode()
    assert sealer.seal(ID_NUMBER.encode(), b"visit.mdtrt_cert_no") != sealed  # a fresh nonce each time
    with pytest.raises(SealBroken):
        sealer.open(sealed, b"journal.err_msg")  # copied into another column
    with pytest.raises(SealBroken):
        Sealer(KEY_B).open(sealed, b"visit.mdtrt_cert_no")
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealBroken):
        sealer.open(flipped, b"visit.mdtrt_cert_no")


def test_the_blind_index_is_stable_and_keyed() -> None:
    a, b = Sealer(KEY_A), Sealer(KEY_B)
    assert a.blind_index("mdtrt_cert_no", ID_NUMBER) == a.blind_index("mdtrt_cert_no", ID_NUMBER)
    assert a.blind_index("mdtrt_cert_no", ID_NUMBER) != b.blind_index("mdtrt_cert_no", ID_NUMBER)
    assert a.blind_index("mdtrt_cert_no", ID_NUMBER) != a.blind_index("mdtrt_cert_no", "110101199003070027")
    assert len(a.blind_index("mdtrt_cert_no", ID_NUMBER)) == 32


def test_each_use_of_the_key_gets_a_key_of_its_own() -> None:
    uses = {KEY_A.derive(p) for p in ("data seal v1", "blind index v1", "journal chain v1", "key check v1")}
    assert len(uses) == 4 and KEY_A.master not in uses


def test_a_key_file_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "data.key"
    assert create_key_file(path)
    first = path.read_text()
    assert not create_key_file(path)  # a second process starting at once keeps the first key
    assert path.read_text() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.b64decode(first)) == 32
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_where_the_key_comes_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    db = str(tmp_path / "yibao.db")
    assert default_key_path(db) == tmp_path / "yibao.db.key"
    made = resolve_key(None, db)
    assert made.source == str(tmp_path / "yibao.db.key") and resolve_key(None, db).master == made.master
    monkeypatch.setenv(ENV_KEY, base64.b64encode(KEY_B.master).decode())
    assert resolve_key(None, db).master == KEY_B.master
    given = tmp_path / "given.key"
    given.write_text(base64.b64encode(KEY_A.master).decode())
    assert resolve_key(str(given), db).master == KEY_A.master  # --data-key first


@pytest.mark.parametrize("text", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_a_bad_key_is_refused_with_its_source(text: str) -> None:
    with pytest.raises(DataKeyError, match=r"the data key in \$YIBAO_DATA_KEY is not 32 bytes in base64"):
        DataKey.parse(text, f"${ENV_KEY}")


def test_a_store_opened_with_another_key_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'yibao.db'}"
    Store(url, KEY_A).close()
    Store(url, KEY_A).close()
    with pytest.raises(StoreUnusable, match="sealed with another data key than test key B"):
        Store(url, KEY_B)


def test_sealed_columns_read_back_plain_and_are_sealed_in_the_file(tmp_path: Path) -> None:
    db = tmp_path / "yibao.db"
    store = Store(f"sqlite:///{db}", KEY_A)
    visit = dict(mdtrt_id="V1", psn_no="P1", insutype="310", fixmedins_code="H1", mdtrtarea_admvs="110000",
                 insuplc_admdvs="110000", ipt_otp_no="1", begntime="2026-03-15 10:00:00", mdtrt_cert_type="02",
                 mdtrt_cert_no=ID_NUMBER, med_type="11", kind="outpatient", endtime=None,
                 visit_info="name 张三".encode(), status="open", created_at="2026-03-15 10:00:00")  # fmt: skip
    store.transact(lambda tx: tx.add_visit(**visit))
    with store.read() as tx:
        row = tx.visit("V1")
        assert row is not None and row.mdtrt_cert_no == ID_NUMBER and row.visit_info == "name 张三".encode()
        assert [v.mdtrt_id for v in tx.visits_by_certificate(ID_NUMBER)] == ["V1"]
        assert tx.visits_by_certificate("110101199003070027") == []
    store.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("yibao.db*") if not p.name.endswith(".key"))
    assert ID_NUMBER.encode() not in stored and "张三".encode() not in stored
