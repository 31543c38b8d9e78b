"""The benchmark's baseline: a bare gRPC server with the gateway's server model (sync grpc.server,
a ThreadPoolExecutor of the same size) that parses a 1101 request and answers a canned 1101 reply
of the gateway's own making, so the same client doing the same call measures gRPC and Python alone.

    python -m yibao.simulators.load.echo --reply FILE [--port 0] [--threads 16] [--reuse-port]

`yibao bench --workers N` starts N of them on one port (SO_REUSEPORT), as it starts N gateway workers.
"""

from __future__ import annotations

import argparse
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc

from yibao.stop_signals import StopSignals
from yibao.v1 import person_pb2 as ppb


def build_echo_server(
    reply: ppb.QueryPsnInfoReply, *, address: str, threads: int, reuse_port: bool = False
) -> tuple[grpc.Server, int]:
    def answer(request: ppb.QueryPsnInfoRequest, context: Any) -> ppb.QueryPsnInfoReply:
        return reply

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="echo"),
        options=[("grpc.so_reuseport", 1 if reuse_port else 0)],
    )
    handler = grpc.unary_unary_rpc_method_handler(
        answer,
        request_deserializer=ppb.QueryPsnInfoRequest.FromString,
        response_serializer=type(reply).SerializeToString,
    )
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("yibao.v1.PersonInfoService", {"QueryPsnInfo": handler}),)
    )
    port = server.add_insecure_port(address)
    return server, port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reply", required=True, help="a serialized QueryPsnInfoReply")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--reuse-port", action="store_true", help="share the port with other echo processes")
    args = parser.parse_args(argv)
    signals = StopSignals()
    reply = ppb.QueryPsnInfoReply.FromString(Path(args.reply).read_bytes())
    address = f"{args.host}:{args.port}"
    server, port = build_echo_server(reply, address=address, threads=args.threads, reuse_port=args.reuse_port)
    server.start()
    print(port, flush=True)
    signals.wait()
    server.stop(grace=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
