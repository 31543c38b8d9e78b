"""The report bundle (docs/lab.md, "Report bundles"): one signed file a lab hands over, that anyone checks offline.

A bundle is one JSON document, written in one canonical form (ASCII, keys sorted, one space of indent):

    {"format": "yibao-lab-bundle/1",
     "manifest":   {"session", "institution", "created_at", "kit",
                    "report":     {"sha256"},                       the report, less its transcript
                    "transcript": {"entries", "head"},              the last hash of the chain
                    "files":      {"protos": {name: sha256}, "world": sha256, "suites": {name: sha256}}},
     "report":     {…},                                             report.py's JSON, "transcript" taken out
     "transcript": [{"n", "prev", "hash", "entry"}, …],             report.py's transcript lines, hash-chained
     "signature":  {"algorithm": "Ed25519", "public_key", "fingerprint", "value"}}

Each transcript entry's hash is SHA-256 over the previous hash (32 zero bytes before the first) and the entry's
canonical JSON, so an entry cannot be changed, dropped or moved without breaking every hash after it. The signature
is Ed25519 over the canonical JSON of {"format", "manifest"}, and the manifest holds the hash of the report and the
chain's head, so it covers all of it. `verify` checks it all, then that the file is byte for byte the canonical form
of what it read: any changed byte fails, and the failure names what failed (the signature, a chain position, a
hash).

The signing key is made once per lab directory (signing-key.pem, mode 0600, beside sessions.json); the public key
travels in the bundle, and its fingerprint (SHA256:… of the raw key) is what a lab publishes so that a verifier can
insist on it (`yibao cert verify --key-fingerprint`). Verifying needs only this module and `cryptography`: no
server, no lab directory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pkgutil
import stat
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yibao.adapters.lab.sessions import Lab
    from yibao.domain.world import World

FORMAT = "yibao-lab-bundle/1"
KEY_FILE = "signing-key.pem"
ZERO = "0" * 64


class BundleError(Exception):
    """A bundle that does not verify: `where` names the part (signature, transcript[N], report, …)."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where, self.why = where, why


class SigningKeyError(Exception):
    """The lab's signing key cannot be used."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()


def file_form(bundle: dict[str, Any]) -> bytes:
    """The bytes of a bundle file: the one form `verify` accepts."""
    return json.dumps(bundle, ensure_ascii=True, sort_keys=True, indent=1).encode() + b"\n"


def chain_hash(prev: str, entry: Any) -> str:
    return hashlib.sha256(bytes.fromhex(prev) + canonical(entry)).hexdigest()


def fingerprint(public_key: bytes) -> str:
    return "SHA256:" + base64.b64encode(hashlib.sha256(public_key).digest()).decode().rstrip("=")


# ---- the key


def signing_key(folder: Path) -> Any:
    """The lab directory's Ed25519 key, made the first time (mode 0600; made under a temporary name and linked into
    place, so processes racing to make it agree on one)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = folder / KEY_FILE
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = folder / f".{KEY_FILE}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            tmp.unlink()
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SigningKeyError(f"the lab's signing key {path} may be read by others (mode {mode:04o}): chmod 600 it, or "
                        "remove it to have a new one made")  # fmt: skip
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as e:
        raise SigningKeyError(f"the lab's signing key {path} cannot be read: {e}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"the lab's signing key {path} is not an Ed25519 key")
    return key


def public_key_of(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)  # type: ignore[no-any-return]


# ---- what the bundle vouches for


def proto_hashes() -> dict[str, str]:
    """SHA-256 of each generated file descriptor of yibao.v1 (the protos as compiled into the kit; the .proto
    sources are not shipped in the wheel), by proto file name."""
    import yibao.v1 as v1

    out = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(v1.__path__) if m.name.endswith("_pb2")):
        descriptor = import_module(f"yibao.v1.{module}").DESCRIPTOR
        out[descriptor.name] = hashlib.sha256(descriptor.serialized_pb).hexdigest()
    return out


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {("|".join(k) if isinstance(k, tuple) else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=canonical) if isinstance(value, set | frozenset) else items
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    return value


def world_hash(world: World) -> str:
    """SHA-256 of the world as served: its canonical JSON (the same world file gives the same hash, however it
    is laid out)."""
    return hashlib.sha256(canonical(_plain(world))).hexdigest()


def suite_hashes(lab: Lab, session: dict[str, Any]) -> dict[str, str]:
    """The session's suites: each state as it was opened with (state.json), and the case file of each."""
    from yibao.adapters.lab import cases

    assert lab.registry is not None
    out = {}
    docs = json.loads((lab.registry.session_dir(session["id"]) / "state.json").read_text("utf-8"))
    for name, doc in docs:
        out[f"{name} (state)"] = hashlib.sha256(canonical(doc)).hexdigest()
    for name in session["suites"]:
        if name in cases.builtin_case_suites():
            raw = resources.files("yibao.world").joinpath(cases.SUITES, f"{name}{cases.SUFFIX}").read_bytes()
            out[f"{name}{cases.SUFFIX}"] = hashlib.sha256(raw).hexdigest()
    return out


# ---- making


def make(lab: Lab, session_id: str) -> tuple[bytes, str]:
    """The bundle file of a session as it stands now, and the signing key's fingerprint."""
    from yibao.adapters.lab import report as reports

    report = reports.build(lab, session_id)
    key = signing_key(lab.folder)
    files = {
        "protos": proto_hashes(),
        "world": world_hash(lab.world),
        "suites": suite_hashes(lab, report["session"]),
    }
    return seal(report, files, key, datetime.now().strftime("%Y-%m-%dT%H:%M:%S"))


def seal(report: dict[str, Any], files: dict[str, Any], key: Any, created_at: str) -> tuple[bytes, str]:
    """Chain the report's transcript, write the manifest and sign it."""
    lines = report["transcript"]
    body = {k: v for k, v in report.items() if k != "transcript"}
    chain, prev = [], ZERO
    for n, entry in enumerate(lines):
        h = chain_hash(prev, entry)
        chain.append({"n": n, "prev": prev, "hash": h, "entry": entry})
        prev = h
    manifest = {
        "session": report["session"]["id"],
        "institution": report["session"]["institution"],
        "created_at": created_at,
        "kit": report["kit"],
        "report": {"sha256": hashlib.sha256(canonical(body)).hexdigest()},
        "transcript": {"entries": len(chain), "head": prev},
        "files": files,
    }
    public = public_key_of(key)
    signature = key.sign(canonical({"format": FORMAT, "manifest": manifest}))
    bundle = {
        "format": FORMAT,
        "manifest": manifest,
        "report": body,
        "transcript": chain,
        "signature": {
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(public).decode(),
            "fingerprint": fingerprint(public),
            "value": base64.b64encode(signature).decode(),
        },
    }
    return file_form(bundle), fingerprint(public)


# ---- verifying


def verify(data: bytes, key_fingerprint: str = "") -> dict[str, Any]:
    """Check a bundle file; raises BundleError naming the first thing that fails. Returns what it vouches for."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as e:
        raise BundleError("file", f"byte {e.start} is not ASCII: a bundle is written in ASCII only") from None
    try:
        bundle = json.loads(text)
    except json.JSONDecodeError as e:
        raise BundleError("file", f"not valid JSON at byte {e.pos} (line {e.lineno}, column {e.colno})") from None
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleError("format", f"not a {FORMAT} bundle")
    parts = ("manifest", "report", "transcript", "signature")
    missing = [k for k in parts if not isinstance(bundle.get(k), dict | list)]
    if missing:
        raise BundleError(missing[0], "missing")
    manifest, chain, sig = bundle["manifest"], bundle["transcript"], bundle["signature"]
    try:
        # the signature first: whatever else was changed, a forged manifest is the thing to name
        public = base64.b64decode(sig["public_key"], validate=True)
        value = base64.b64decode(sig["value"], validate=True)
        if sig.get("algorithm") != "Ed25519":
            raise BundleError("signature.algorithm", f"{str(sig.get('algorithm'))[:20]!r}, not Ed25519")
        if sig.get("fingerprint") != fingerprint(public):
            raise BundleError("signature.fingerprint", "is not the fingerprint of signature.public_key")
        if key_fingerprint and fingerprint(public) != key_fingerprint.strip():
            raise BundleError("signature.public_key", f"signed by {fingerprint(public)}, not by the key expected "
                              f"({key_fingerprint.strip()})")  # fmt: skip
        Ed25519PublicKey.from_public_bytes(public).verify(value, canonical({"format": FORMAT, "manifest": manifest}))
    except (KeyError, TypeError, ValueError) as e:
        raise BundleError("signature", f"cannot be read: {e}") from None
    except InvalidSignature:
        raise BundleError("signature", "does not verify: the manifest or the signature was changed") from None
    try:
        prev = ZERO
        if not isinstance(chain, list):
            raise BundleError("transcript", "must be a list")
        for n, link in enumerate(chain):
            where = f"transcript[{n}] (chain position {n})"
            if link.get("n") != n:
                raise BundleError(where, f"says it is position {link.get('n')!r}")
            if link.get("prev") != prev:
                raise BundleError(where, f"prev {str(link.get('prev'))[:64]} is not the hash before it ({prev})")
            h = chain_hash(prev, link["entry"])
            if link.get("hash") != h:
                raise BundleError(where, f"hash {str(link.get('hash'))[:64]} differs from the SHA-256 of its entry "
                                  f"({h}): the entry was changed")  # fmt: skip
            prev = h
        if len(chain) != manifest["transcript"]["entries"]:
            raise BundleError("transcript", f"{len(chain)} entries; the manifest signed "
                              f"{manifest['transcript']['entries']}")  # fmt: skip
        if prev != manifest["transcript"]["head"]:
            raise BundleError("transcript", f"the chain ends at {prev}; the manifest signed "
                              f"{manifest['transcript']['head']}")  # fmt: skip
        got = hashlib.sha256(canonical(bundle["report"])).hexdigest()
        if got != manifest["report"]["sha256"]:
            raise BundleError("report", f"its SHA-256 is {got}; the manifest signed {manifest['report']['sha256']}")
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise BundleError("structure", f"a part is missing or of the wrong kind: {e!r}") from None
    canon = file_form(bundle)
    if canon != data:
        at = next((k for k, (a, b) in enumerate(zip(canon, data, strict=False)) if a != b), min(len(canon), len(data)))
        raise BundleError("file", f"byte {at} differs from the signed content's canonical form (a changed byte that "
                          "reads the same, or something added)")  # fmt: skip
    return {
        "session": manifest["session"],
        "institution": manifest["institution"],
        "created_at": manifest["created_at"],
        "kit": manifest["kit"],
        "fingerprint": sig["fingerprint"],
        "summary": bundle["report"].get("summary"),
        "transcript_entries": len(chain),
        "files": manifest["files"],
    }


def report_of(data: bytes) -> dict[str, Any]:
    """The whole report of a verified bundle (its transcript put back), to render as HTML or JUnit."""
    bundle = json.loads(data)
    return {**bundle["report"], "transcript": [link["entry"] for link in bundle["transcript"]]}
