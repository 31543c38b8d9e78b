"""`yibao serve`'s metrics and access log (docs/observability.md): the options, the set-up before the serve forks,
and each gateway process's interceptor and WSGI wrapper. Nothing here imports gRPC or prometheus-client at
import time: the serve forks its workers before either may be loaded."""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ACCESS_LOG_DEFAULT = "-"
_opened: list[Any] = []  # this process's access log and tracer, for close()


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--metrics", action=argparse.BooleanOptionalAction, default=True,
                   help="Prometheus metrics at GET /metrics on the HTTP port, summed over every worker "
                   "(default: on; docs/observability.md)")  # fmt: skip
    p.add_argument("--access-log", default=ACCESS_LOG_DEFAULT, metavar="FILE|-|off",
                   help="one JSON line per call, personal data masked: to FILE (appended), - for standard output, "
                   "off for none (default: -)")  # fmt: skip
    p.add_argument("--traces", default="off", metavar="FILE|-|off",
                   help="OpenTelemetry spans, one a call, as JSON lines to FILE or - (standard output); needs the "
                   "SDK: pip install -e '.[otel]' (default: off)")  # fmt: skip


def prepare(args: argparse.Namespace) -> str | None:
    """Before the serve forks: the metrics' multiprocess folder (unless $PROMETHEUS_MULTIPROC_DIR names one), and
    the access log's file tried once. The problem to print, if any."""
    from yibao.gateway.access_log import OFF, STDOUT
    from yibao.gateway.metrics import MULTIPROCESS, folder_prefix, prepare_folder, sweep_folders

    if args.access_log not in (OFF, STDOUT):
        try:
            os.close(os.open(args.access_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640))
        except OSError as e:
            return f"--access-log: cannot append to {args.access_log}: {e.strerror or e}"
    if args.traces != OFF:
        try:
            import opentelemetry.sdk.trace  # noqa: F401
        except ImportError:
            return "--traces needs the OpenTelemetry SDK: pip install -e '.[otel]' (opentelemetry-api, -sdk)"
    if args.metrics and not os.environ.get(MULTIPROCESS):
        sweep_folders(Path(tempfile.gettempdir()))  # of serves killed with -9 (no clean-up ran)
        folder = Path(tempfile.mkdtemp(prefix=folder_prefix()))
        prepare_folder(folder)
        owner = os.getpid()
        # the supervisor's exit removes it; the processes it forks end with os._exit and never run this
        atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))
    return None


def build(args: argparse.Namespace) -> tuple[list[Any], Callable[[Any], Any]]:
    """In a gateway process: (the gRPC interceptors, the wrapper of the WSGI app) that observe its calls."""
    from yibao.gateway import metrics as metrics_module
    from yibao.gateway.access_log import open_access_log
    from yibao.gateway.observe import Observer, ObservingInterceptor

    metrics = metrics_module.Metrics() if args.metrics else None
    metrics_module.activate(metrics)
    access = open_access_log(args.access_log)
    if access is not None:
        _opened.append(access)
    tracer = _tracer(args.traces)
    if metrics is None and access is None and tracer is None:
        return [], lambda app: app
    observer = Observer(metrics, access, tracer)

    def observed(app: Any) -> Any:
        from yibao.adapters.http.observed import ObservedHttp

        return ObservedHttp(app, observer)

    return [ObservingInterceptor(observer)], observed


def _tracer(target: str) -> Any:
    if target == "off":
        return None
    from yibao.gateway.tracing import Tracer

    out = sys.stdout if target == "-" else open(target, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
    tracer = Tracer(out)
    _opened.append(tracer)
    return tracer


def close() -> None:
    """At the gateway process's end: the access log's last lines written out (its writer is a daemon thread)."""
    while _opened:
        _opened.pop().close()
