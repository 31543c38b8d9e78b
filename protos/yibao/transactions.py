"""The national transactions, read from the protos: one table for everything that needs to know which
transaction an infno is (the gateway's routes, the HTTP paths, the HIS client, the test lab).

Each RPC of the `yibao.v1` services carries its infno, national name and Hebei-style HTTP path as
options (`(yibao.v1.infno)`, `(national_name)`, `(http_path)`, protos/yibao/v1/envelope.proto); the
table is built from those options, so adding an RPC to a .proto adds its row here and nowhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from google.protobuf import symbol_database
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message

from yibao.v1 import (
    catalogue_file_pb2,
    clearing_pb2,
    envelope_pb2,
    family_account_pb2,
    files_pb2,
    filing_pb2,
    inpatient_pb2,
    inquiry_pb2,
    institution_clearing_pb2,
    manual_claim_pb2,
    outpatient_pb2,
    outpatient_variants_pb2,
    person_pb2,
    pharmacy_pb2,
    query_pb2,
    reconciliation_pb2,
    region_pb2,
    reversal_pb2,
    settlement_list_pb2,
    signin_pb2,
)

_MODULES = (
    signin_pb2,
    files_pb2,
    person_pb2,
    outpatient_pb2,
    outpatient_variants_pb2,
    inpatient_pb2,
    pharmacy_pb2,
    query_pb2,
    catalogue_file_pb2,
    region_pb2,
    filing_pb2,
    reversal_pb2,
    reconciliation_pb2,
    clearing_pb2,
    inquiry_pb2,
    family_account_pb2,
    institution_clearing_pb2,
    settlement_list_pb2,
    manual_claim_pb2,
)
SERVICES: tuple[ServiceDescriptor, ...] = tuple(
    svc for mod in _MODULES for svc in mod.DESCRIPTOR.services_by_name.values()
)


@dataclass(frozen=True, slots=True)
class Transaction:
    infno: str
    service: str  # full service name, e.g. yibao.v1.OutpatientService
    method: str  # the RPC's name, e.g. Settle
    request_cls: type[Message]
    reply_cls: type[Message]
    national_name: str  # e.g. 门诊结算 ("" for the platform's own Y… extensions)
    http_path: str  # its one-path-per-transaction (Hebei) URL path, "" when the national map has none

    @property
    def path(self) -> str:
        """The gRPC method path, e.g. /yibao.v1.OutpatientService/Settle."""
        return f"/{self.service}/{self.method}"


def _transaction(svc: ServiceDescriptor, m: MethodDescriptor) -> Transaction:
    db = symbol_database.Default()
    options = m.GetOptions()
    infno = options.Extensions[envelope_pb2.infno]
    if not infno:
        raise RuntimeError(f"{svc.full_name}/{m.name} has no (yibao.v1.infno) option")
    return Transaction(
        infno,
        svc.full_name,
        m.name,
        db.GetSymbol(m.input_type.full_name),
        db.GetSymbol(m.output_type.full_name),
        options.Extensions[envelope_pb2.national_name],
        options.Extensions[envelope_pb2.http_path],
    )


@functools.cache
def transactions() -> Mapping[str, Transaction]:
    """Every national transaction by infno, in the order of the protos."""
    table: dict[str, Transaction] = {}
    for svc in SERVICES:
        for m in svc.methods:
            tx = _transaction(svc, m)
            if tx.infno in table:
                raise RuntimeError(f"infno {tx.infno} is claimed by two RPCs: {table[tx.infno].path} and {tx.path}")
            table[tx.infno] = tx
    return table


def by_method(service: str, method: str) -> Transaction:
    """The transaction of an RPC, by its service's full name and the method's name."""
    for tx in transactions().values():
        if (tx.service, tx.method) == (service, method):
            return tx
    raise KeyError(f"{service}/{method}")
