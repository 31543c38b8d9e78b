"""The signature headers of the national JSON over HTTP (docs/reference/interface.md §1.3's x-tif headers, and the
operator's).

What they must hold, and how they are checked, is one module for both entry points:
gateway/yibao/gateway/request_auth.py (the schemes and the keys file: src/yibao/request_signing.py). This one
only reads them from a WSGI environ.
"""

from __future__ import annotations

from typing import Any

from yibao.request_signing import CARRIED, tif_signature

signature = tif_signature  # the x-tif scheme: SHA-256(timestamp + secret + nonce + timestamp), lower-case hex
_ENVIRON = {name: "HTTP_" + name.upper().replace("-", "_") for name in CARRIED}


def carried_headers(environ: dict[str, Any]) -> dict[str, str]:
    """The signature headers a request carries, by lower-case name ("" when absent)."""
    return {name: environ.get(key, "") for name, key in _ENVIRON.items()}
