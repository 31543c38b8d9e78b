"""The lab web page (issue 18, item 8) as HTML over HTTP: the sessions, one session's cases with their verdicts as
they stand, the links to its reports; under the operator API's access rule (loopback, or the token — which a
browser sends as HTTP Basic's password). The page in a real browser: tests/e2e/test_lab_page_browser.py."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_lab_sessions import Platform, environ
from test_lab_verdicts import run

from yibao.adapters.lab.api import LabApi
from yibao.adapters.lab.client import fetch
from yibao.adapters.lab.sessions import Lab
from yibao.domain.world import World
from yibao.world.loader import load_world


@pytest.fixture(scope="module")
def demo() -> World:
    return load_world(None)


@pytest.fixture
def platform(tmp_path: Path, demo: World) -> Iterator[Platform]:
    p = Platform(tmp_path, demo)
    yield p
    p.close()


def page(platform: Platform, path: str) -> str:
    status, body, headers = fetch(platform.base, path)
    assert status == 200, body
    assert headers["content-type"].startswith("text/html") and headers["cache-control"] == "no-store"
    return body.decode()


def test_the_page_lists_sessions_and_shows_a_sessions_verdicts(platform: Platform) -> None:
    assert "No session yet" in page(platform, "/lab/")
    first = platform.open("H11010100001", "outpatient")
    second = platform.open("P11010100001", "pharmacy")
    listing = page(platform, "/lab/")
    if second["opened_at"] > first["opened_at"]:  # the newest first (opened_at counts seconds)
        assert listing.index(second["id"]) < listing.index(first["id"])
    assert f'href="/lab/view/{first["id"]}"' in listing and "outpatient" in listing and "pharmacy" in listing

    view = page(platform, f"/lab/view/{first['id']}")
    assert view.count('class="verdict skip">skip<') == 5 and 'id="count-skip">skip 5<' in view  # nothing sent yet
    run(platform, "outpatient", behaviour=frozenset({"double-cancel"}), session=first)
    view = page(platform, f"/lab/view/{first['id']}")
    assert 'id="count-pass">pass 4<' in view and 'id="count-fail">fail 1<' in view
    op02 = view[view.index('id="case-outpatient-OP-02"') :].split("</tr>")[0]
    assert 'class="verdict fail"' in op02 and "cancel-once" in op02 and "input.data.setl_id" in op02
    for link in ("report?format=html", "report?format=json", "report?format=junit", "bundle"):
        assert f'href="/lab/sessions/{first["id"]}/{link}"' in view
    assert "<script>" in view and "fetch(location.href" in view  # the live refresh: a few lines, no library
    assert "src=" not in view and "http://" not in view  # nothing from elsewhere

    status, body, _ = fetch(platform.base, "/lab/view/lab-nothere")
    assert status == 404 and b"LAB_SESSION_UNKNOWN" in body


def test_the_page_keeps_the_api_access_rule(tmp_path: Path, demo: World) -> None:
    lab = Lab(tmp_path / "lab", demo)
    try:
        assert LabApi(lab)("GET", "/lab/", environ("GET", "/lab/", "127.0.0.1"))[0] == 200
        assert LabApi(lab)("GET", "/lab/", environ("GET", "/lab/", "192.0.2.7"))[0] == 403
        guarded = LabApi(lab, token="s3cret")
        status, headers, _ = guarded("GET", "/lab/", environ("GET", "/lab/", "127.0.0.1"))
        assert status == 401 and ("WWW-Authenticate", 'Basic realm="yibao lab", charset="UTF-8"') in headers
        status, headers, _ = guarded("GET", "/lab/sessions", environ("GET", "/lab/sessions", "127.0.0.1"))
        assert status == 401 and not any(k == "WWW-Authenticate" for k, _ in headers)  # the API: no prompt
        for user, password, expected in (("lab", "s3cret", 200), ("", "s3cret", 200), ("lab", "wrong", 401)):
            basic = base64.b64encode(f"{user}:{password}".encode()).decode()
            got = guarded("GET", "/lab/", environ("GET", "/lab/", "192.0.2.7", authorization=f"Basic {basic}"))
            assert got[0] == expected, (user, password)
        assert guarded("GET", "/lab/", environ("GET", "/lab/", "192.0.2.7", authorization="Basic %%%"))[0] == 401
        status, _, body = LabApi(lab)("POST", "/lab/", environ("POST", "/lab/", "127.0.0.1"))
        assert status == 405 and b"LAB_METHOD" in body  # the page only reads
    finally:
        lab.shutdown()


def test_without_a_token_only_requests_addressed_to_the_loopback_are_answered(tmp_path: Path, demo: World) -> None:
    """DNS rebinding: a page of another name resolved to 127.0.0.1 reaches the server from the lab's own browser,
    with the loopback as its source address but its own name in the Host header."""
    lab = Lab(tmp_path / "lab", demo)
    try:
        api = LabApi(lab)
        for host, expected in (("localhost:8080", 200), ("127.0.0.1:8080", 200), ("[::1]:8080", 200), ("", 200),
                               ("evil.example:8080", 403), ("evil.example", 403), ("10.0.0.5:8080", 403)):  # fmt: skip
            headers = {"host": host} if host else {}
            status, _, body = api("GET", "/lab/sessions", environ("GET", "/lab/sessions", "127.0.0.1", **headers))
            assert status == expected, (host, body)
        guarded = LabApi(lab, token="s3cret")  # with a token, the token decides, whatever the name
        got = guarded("GET", "/lab/sessions", environ("GET", "/lab/sessions", "127.0.0.1", host="lab.example",
                                                       authorization="Bearer s3cret"))  # fmt: skip
        assert got[0] == 200
    finally:
        lab.shutdown()


def test_the_page_answers_without_its_trailing_slash(platform: Platform) -> None:
    status, body, _ = fetch(platform.base, "/lab")
    assert status == 200 and b"<!doctype html>" in body.lower()
