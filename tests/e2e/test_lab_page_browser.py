"""The lab web page in a real browser (issue 18, item 8): headless Chromium, as tests/e2e/test_inspector_browser.py
drives it (Debian's chromium and chromium-driver, installed when missing), watches a session's cases turn from skip
to pass and fail while a simulated HIS works through them — the page updates itself, without a reload — follows the
link to the HTML report, and takes screenshots the test reads back: PNGs of the window's size, not blank, with the
green of a pass and the red of a fail on them."""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_inspector_browser import browser  # noqa: F401  (the fixture: headless Chromium)
from test_lab_sessions import Platform
from test_lab_verdicts import run

from yibao.world.loader import load_world

PASS_GREEN = (0x0A, 0x7D, 0x32)
FAIL_RED = (0xB3, 0x26, 0x1E)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    p = Platform(tmp_path, load_world(None))
    yield p
    p.close()


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of RGB(A) pixels of an 8-bit truecolour PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 0xFF
            elif f == 2:
                line[x] = (line[x] + b) & 0xFF
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[k] for k in range(len(r)) if k % bpp < 3) for r in rows]


def colours(rows: list[bytes]) -> dict[tuple[int, int, int], int]:
    seen: dict[tuple[int, int, int], int] = {}
    for row in rows[::2]:
        for k in range(0, len(row), 6):
            rgb = (row[k], row[k + 1], row[k + 2])
            seen[rgb] = seen.get(rgb, 0) + 1
    return seen


@pytest.mark.slow
@pytest.mark.timeout(1200)  # the first run may install chromium
def test_the_lab_page_shows_live_verdicts_and_the_report(
    browser: object,  # noqa: F811
    platform: Platform,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    session = platform.open("H11010100001", "outpatient")
    sid = session["id"]
    driver.get(f"{platform.base}/lab/")  # type: ignore[attr-defined]
    assert "Lab sessions" in driver.title  # type: ignore[attr-defined]
    driver.find_element(By.LINK_TEXT, sid).click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith(f"/lab/view/{sid}"))

    def text(element_id: str) -> str:
        """An element's text, read in one step: the page swaps its content in every 2 s, so a found element may be
        gone by the time its text is asked for."""
        return driver.execute_script(  # type: ignore[attr-defined,no-any-return]
            "var e = document.getElementById(arguments[0]); return e ? e.innerText : ''", element_id
        )

    assert text("session-id") == sid
    assert text("count-skip") == "skip 5"
    driver.execute_script("window.stillThisPage = true")  # type: ignore[attr-defined]

    # the HIS works through the cases (one of them deliberately wrong) while the page is open
    worker = threading.Thread(target=run, args=(platform, "outpatient"),
                              kwargs={"behaviour": frozenset({"double-cancel"}), "session": session})  # fmt: skip
    worker.start()
    worker.join(120)
    assert not worker.is_alive()
    WebDriverWait(driver, 15).until(lambda d: text("count-fail") == "fail 1")
    assert driver.execute_script("return window.stillThisPage === true")  # type: ignore[attr-defined]
    assert text("count-pass") == "pass 4"
    row = text("case-outpatient-OP-02")
    assert "fail" in row and "cancel-once" in row and "input.data.setl_id" in row
    shot = tmp_path / "lab-page.png"
    driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
    width, height, rows = read_png(shot.read_bytes())
    inner = driver.execute_script(  # type: ignore[attr-defined]
        "return [Math.round(innerWidth * devicePixelRatio), Math.round(innerHeight * devicePixelRatio)]"
    )
    assert [width, height] == inner and width >= 800 and height >= 600
    seen = colours(rows)
    assert len(seen) > 20, "a blank or nearly blank screenshot"
    assert seen.get(PASS_GREEN, 0) > 50 and seen.get(FAIL_RED, 0) > 50, "the pass and fail badges are drawn"

    driver.find_element(By.PARTIAL_LINK_TEXT, "Report (HTML)").click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 10).until(lambda d: "/report?format=html" in d.current_url)
    assert f"Lab report {sid}" in driver.title  # type: ignore[attr-defined]
    case = driver.find_element(By.ID, "outpatient-OP-02")  # type: ignore[attr-defined]
    assert "cancel-once" in case.text and "Rule trace" in case.text
    assert driver.find_element(By.ID, "latency-chart").size["width"] > 300  # type: ignore[attr-defined]
    report_shot = tmp_path / "lab-report.png"
    driver.save_screenshot(str(report_shot))  # type: ignore[attr-defined]
    width, height, rows = read_png(report_shot.read_bytes())
    assert [width, height] == inner and len(colours(rows)) > 20
