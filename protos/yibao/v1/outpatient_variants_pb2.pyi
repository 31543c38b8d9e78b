from yibao.v1 import envelope_pb2 as _envelope_pb2
from yibao.v1 import outpatient_pb2 as _outpatient_pb2
from yibao.v1 import settlement_pb2 as _settlement_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
