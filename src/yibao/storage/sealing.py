"""Personal data at rest: the data key, sealed columns and the blind index (docs/security.md, "Personal data at rest").

Columns that may hold an ID number or a name — certificate numbers, the request and reply bodies the journal and
the message store keep, visit inputs, settlement outputs, filings, undo images — are declared in schema.py with the
column types `SealedBytes` / `SealedText`. Their values are sealed with AES-256-GCM on the way into the database and
opened on the way out, by SQLAlchemy for statements it runs and by prepared.py for the hot path, so the code above
storage reads and writes plain values and never sees a key. A sealed value is `1 ‖ nonce(12) ‖ ciphertext ‖ tag(16)`;
the table and column are its associated data, so a value copied into another column does not open.

One master key per store (`DataKey`, 32 bytes) gives separate keys by HKDF: the seal, the blind index, the journal
chain (journal_chain.py) and the key check kept in `yibao_meta`, which refuses a store opened with the wrong key.
Where the master key comes from: `--data-key FILE`, else $YIBAO_DATA_KEY (the key itself, base64), else a key file
made on first use with mode 0600 beside the SQLite file (`<file>.key`) or, for a server database, in the user's
data folder (~/.local/share/yibao/data.key).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

KEY_BYTES = 32
ENV_KEY = "YIBAO_DATA_KEY"
VERSION = b"\x01"
NONCE_BYTES = 12


class DataKeyError(RuntimeError):
    """The data key cannot be read or made; the text says which and why."""


class SealBroken(RuntimeError):
    """A sealed value does not open: altered in the database, or sealed with another key."""


@dataclass(frozen=True, slots=True)
class DataKey:
    master: bytes
    source: str  # where it came from, for messages: a file's path, or $YIBAO_DATA_KEY

    def derive(self, purpose: str) -> bytes:
        """A key of its own for each use, so that one use's outputs say nothing about another's key."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=f"yibao {purpose}".encode())
        return hkdf.derive(self.master)

    @staticmethod
    def parse(text: str, source: str) -> DataKey:
        try:
            master = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            master = b""
        if len(master) != KEY_BYTES:
            raise DataKeyError(f"the data key in {source} is not {KEY_BYTES} bytes in base64 "
                               "(make one with: yibao audit new-key FILE)")  # fmt: skip
        return DataKey(master, source)

    @staticmethod
    def load(path: str | Path) -> DataKey:
        try:
            return DataKey.parse(Path(path).read_text("ascii"), str(path))
        except (OSError, UnicodeDecodeError) as e:
            raise DataKeyError(f"--data-key {path}: cannot read the key file ({e})") from None


def new_key_text() -> str:
    return base64.b64encode(os.urandom(KEY_BYTES)).decode() + "\n"


def create_key_file(path: Path) -> bool:
    """Write a new random key to `path` with mode 0600 unless a key is already there; True when written.
    Written to a temporary file and linked into place, so two processes starting at once agree on one key
    and nobody reads half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, new_key_text().encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink()


def default_key_path(sqlite_file: str | None) -> Path:
    """Beside an SQLite file; for a server database, one key for the user's stores."""
    if sqlite_file:
        return Path(f"{sqlite_file}.key")
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "yibao" / "data.key"


def resolve_key(key_file: str | None, sqlite_file: str | None) -> DataKey:
    """The store's key: `key_file`, else $YIBAO_DATA_KEY, else the default key file (made on first use)."""
    if key_file:
        return DataKey.load(key_file)
    env = os.environ.get(ENV_KEY)
    if env:
        return DataKey.parse(env, f"${ENV_KEY}")
    path = default_key_path(sqlite_file)
    if not path.exists():
        try:
            create_key_file(path)
        except OSError as e:
            raise DataKeyError(f"cannot make the data key file {path} ({e}); give one with --data-key FILE") from None
    return DataKey.load(path)


class Sealer:
    """Seals and opens column values, and makes blind indexes, with one store's key."""

    def __init__(self, key: DataKey) -> None:
        self.key = key
        self._aead = AESGCM(key.derive("data seal v1"))
        self._index_key = key.derive("blind index v1")
        self.check = hmac.new(key.derive("key check v1"), b"yibao data key", hashlib.sha256).hexdigest()[:32]

    def seal(self, plain: bytes, context: bytes) -> bytes:
        # A random 96-bit nonce per value: safe for far more values than a store holds (2^32 per key).
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, plain, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        if sealed[:1] != VERSION or len(sealed) < 1 + NONCE_BYTES + 16:
            raise SealBroken(f"{context.decode()}: not a sealed value")
        try:
            return self._aead.decrypt(sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :], context)
        except InvalidTag:
            raise SealBroken(f"{context.decode()}: the sealed value does not open (altered, or another key)") from None

    def blind_index(self, purpose: str, value: str) -> str:
        """A keyed hash of `value` to look it up by equality without storing it: without the key, an index
        says nothing of the value (an unkeyed hash of an 18-digit ID number is reversed by trying them all)."""
        message = f"{purpose}\0{value}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()[:32]


# The sealer of each store, by its engine's dialect: a store has an engine, and an engine its own dialect object,
# so the column types find the key of the store whose statement they are processing without a global key.
_sealers: WeakKeyDictionary[Dialect, Sealer] = WeakKeyDictionary()


def register(dialect: Dialect, sealer: Sealer) -> None:
    _sealers[dialect] = sealer


def sealer_of(dialect: Dialect) -> Sealer:
    found = _sealers.get(dialect)
    if found is None:
        raise DataKeyError("a sealed column was used on an engine that has no data key: open it with Store")
    return found


class SealedColumn:
    """What the sealed column types share: the associated data (table.column) and the key of the store."""

    context: bytes

    def plain_bytes(self, value: object) -> bytes:
        raise NotImplementedError

    def from_bytes(self, plain: bytes) -> object:
        raise NotImplementedError

    def seal(self, value: object, dialect: Dialect) -> bytes | None:
        return None if value is None else sealer_of(dialect).seal(self.plain_bytes(value), self.context)

    def unseal(self, value: object, dialect: Dialect) -> object:
        if value is None:
            return None
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise SealBroken(f"{self.context.decode()}: not a sealed value")
        return self.from_bytes(sealer_of(dialect).open(bytes(value), self.context))


class SealedBytes(SealedColumn, TypeDecorator[bytes]):
    """A bytes column stored sealed (LargeBinary in the database)."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context.encode()

    def plain_bytes(self, value: object) -> bytes:
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f"{self.context.decode()} takes bytes, not {type(value).__name__}")
        return bytes(value)

    def from_bytes(self, plain: bytes) -> bytes:
        return plain

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return self.seal(value, dialect)

    def process_result_value(self, value: object, dialect: Dialect) -> bytes | None:
        plain = self.unseal(value, dialect)
        assert plain is None or isinstance(plain, bytes)
        return plain


class SealedText(SealedColumn, TypeDecorator[str]):
    """A text column stored sealed: str in Python, sealed UTF-8 in the database."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context.encode()

    def plain_bytes(self, value: object) -> bytes:
        return str(value).encode()

    def from_bytes(self, plain: bytes) -> str:
        return plain.decode()

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return self.seal(value, dialect)

    def process_result_value(self, value: object, dialect: Dialect) -> str | None:
        plain = self.unseal(value, dialect)
        assert plain is None or isinstance(plain, str)
        return plain
