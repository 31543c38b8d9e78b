"""gRPC server options from the environment, for experiments on overload (docs/performance.md, "Overload").

YIBAO_GRPC_SERVER_OPTIONS="name=integer,name=integer" adds channel arguments to every gRPC server `yibao serve` builds
(`yibao bench` starts its serve with the environment it has, so the benchmark sees them too), e.g.
`grpc.server.max_pending_requests=64,grpc.server.max_pending_requests_hard_limit=256`: the bounds of the queue gRPC's
C core keeps of calls no Python thread has taken yet. Unset, the server is built as always. Integer values only: the
options worth trying here are all counts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

ENVIRONMENT = "YIBAO_GRPC_SERVER_OPTIONS"
_OPTION = re.compile(r"grpc\.[a-z0-9_.]+=-?[0-9]+")


class BadOptions(ValueError):
    """The variable is malformed; the text names it and the rule."""


def from_environment(environ: Mapping[str, str] = os.environ) -> list[tuple[str, int]]:
    text = environ.get(ENVIRONMENT, "").strip()
    options = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        if not _OPTION.fullmatch(item):
            raise BadOptions(f"{ENVIRONMENT}: {item!r} is not grpc.<name>=<integer> (comma-separated)")
        name, value = item.split("=")
        options.append((name, int(value)))
    return options
