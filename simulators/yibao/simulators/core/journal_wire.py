"""What the core reads and writes of the wire bytes the gateway keeps: the journal (each executed message's
request and reply, as sent and answered) and the replies remembered under a msgid. 2601 and Y5203 need them; the
core does not speak protobuf, so the platform's assembly plugs in a reader that does
(adapters/yibao/adapters/journal_wire.py, by `plug` in adapters/yibao/adapters/platform.py)."""

from __future__ import annotations

from typing import Protocol

from yibao.call import CallContext
from yibao.errors import Refusal
from yibao.simulators.core.values.settlement import SettleOutput


class JournalWire(Protocol):
    def insured_place(self, infno: str, request: bytes) -> str:
        """The envelope's insuplc_admdvs of a journaled request of transaction `infno`."""
        ...

    def replied_settlement(self, reply: bytes) -> SettleOutput:
        """The output of a journaled settlement reply (2207/2208, 2304/2305, 2102/2103)."""
        ...

    def replied_output(self, infno: str, reply: bytes) -> tuple[str, str, SettleOutput | None] | None:
        """A journaled reply of `infno`: its output as national JSON (within Y5203's limit), what was left out of
        it, and its settlement nodes when it settled something; None for a transaction the protos lack."""
        ...

    def refusal(self, ctx: CallContext, refusal: Refusal) -> bytes:
        """`refusal` as the gateway remembers a refusal under a msgid (the reply a resend gets)."""
        ...

    def refusal_text(self, blob: bytes) -> str:
        """The err_msg of a refusal remembered under a msgid."""
        ...


_plugged: list[JournalWire] = []


def plug(wire: JournalWire) -> None:
    _plugged[:] = [wire]


def journal_wire() -> JournalWire:
    if not _plugged:
        raise RuntimeError("no journal reader plugged in: assemble the platform (yibao.adapters.platform)")
    return _plugged[0]
