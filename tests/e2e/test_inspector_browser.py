"""A real browser on the inspector: headless Chromium (Debian's chromium and chromium-driver,
installed here when missing) logs in, finds a settlement by setl_id and sees its rule trace, and on a 1366 x 900
window sees every column of the list and every error code whole (the cells' boxes are measured in the page), follows
an error code to its catalogue entry, and takes screenshots the test reads back (the window's size, not blank, the
refused outcome in red).

Driven by Selenium with Debian's /usr/bin/chromedriver, which always matches /usr/bin/chromium;
nothing is downloaded but the Debian packages. Skipped only when they cannot be installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab import Item, Lab

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)


def _install_chromium() -> str | None:
    """Install Debian's chromium and chromium-driver if missing; the reason when that is impossible."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return None
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine to install chromium"
    if os.geteuid() != 0:
        return "not root: cannot apt-get install chromium chromium-driver"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"]):
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900, env=env)
        except subprocess.TimeoutExpired:
            return f"{' '.join(step)} timed out"
        if done.returncode != 0:
            return f"{' '.join(step)} failed: {(done.stderr or done.stdout).strip()[-500:]}"
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return "chromium installed but /usr/bin/chromium or /usr/bin/chromedriver is missing"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    why = _install_chromium()
    if why is not None:
        print(f"browser test skipped: {why}")
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(5)  # find_element waits for an element of a page still loading
    yield driver
    driver.quit()


WIDTH, HEIGHT = 1366, 900  # the laptop screen the inspector is laid out for
REFUSED_RED = (0xB3, 0x26, 0x1E)
# Every cell of the inspector's tables: whether it ends inside the window and shows all it holds (nothing clipped).
CELLS_FIT = """
var out = [], w = window.innerWidth;
document.querySelectorAll('table.tx th, table.tx td').forEach(function (c) {
  var r = c.getBoundingClientRect();
  if (r.right > w + 0.5 || c.scrollWidth > c.clientWidth + 1)
    out.push(c.innerText + ' ' + r.right + ' ' + c.scrollWidth + '>' + c.clientWidth);
});
return [document.documentElement.scrollWidth, w, out];
"""


def _at_1366(driver: object) -> None:
    driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )


def _screenshot(driver: object, path: Path) -> dict[tuple[int, int, int], int]:
    """Saves a screenshot and checks it is the window's size and not blank; its colours."""
    from test_lab_page_browser import colours, read_png

    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    width, height, rows = read_png(path.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    seen = colours(rows)
    assert len(seen) > 20, "a blank or nearly blank screenshot"
    return seen


def _log_in(driver: object, base: str) -> None:
    from inspector_client import PASSWORD
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})  # type: ignore[attr-defined]  # an earlier test's session
    driver.get(f"{base}/inspector")  # type: ignore[attr-defined]
    assert driver.find_elements(By.ID, "password") and not driver.find_elements(By.ID, "transactions")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "name").send_keys("ops")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    driver.find_element(By.ID, "login").click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "search"))


@pytest.mark.timeout(1200)  # the first run may install chromium
def test_find_a_settlement_by_setl_id_and_see_its_rule_trace(
    browser: object, inspected: str, lab: Lab, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "2", "50.00"), Item("B02", "1", "80.00"), Item("CT1", "1", "200.00")])
    lab.settle(mdtrt_id, "380.00", infno="2206")
    done = lab.settle(mdtrt_id, "380.00").output
    assert done.setldetail, "the pooled fund pays: beyond the deductible"
    setl_id = done.setlinfo.setl_id
    lab.register("P0002")  # another transaction in the list, so the filter has something to leave out

    _at_1366(driver)
    _log_in(driver, inspected)
    assert "Transactions" in driver.title  # type: ignore[attr-defined]
    box = driver.find_element(By.ID, "f-setl_id")  # type: ignore[attr-defined]
    box.send_keys(setl_id)
    driver.find_element(By.ID, "search").click()  # type: ignore[attr-defined]
    # a click does not wait for the next page: wait until the filtered list has replaced the full one
    WebDriverWait(driver, 10).until(lambda d: f"setl_id={setl_id}" in d.current_url)
    rows = driver.find_elements(By.CSS_SELECTOR, "#transactions tbody tr")  # type: ignore[attr-defined]
    assert len(rows) == 1 and "2207" in rows[0].text and setl_id in rows[0].text
    rows[0].find_element(By.TAG_NAME, "a").click()

    WebDriverWait(driver, 10).until(lambda d: "/inspector/tx/" in d.current_url)
    trace = driver.find_element(By.ID, "trace")  # type: ignore[attr-defined]
    assert "Settlement rule trace" in trace.text
    for row in done.setldetail:
        assert row.setl_proc_info in trace.text
    assert "B02" in trace.text  # the item split: the 乙 item with its first-self-pay share
    assert driver.find_element(By.ID, "s-setl_id").text == setl_id  # type: ignore[attr-defined]
    _screenshot(driver, tmp_path / "inspector-detail.png")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # type: ignore[attr-defined]


@pytest.mark.timeout(1200)
def test_the_list_fits_1366_pixels_with_every_column_and_error_code_whole(
    browser: object, inspected: str, lab: Lab, tmp_path: Path
) -> None:
    from http_lab import HttpHis
    from lab import LabRefused
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    his = HttpHis(inspected, lab)
    mdtrt_id = lab.register("P0001")
    lab.upload(mdtrt_id, [Item("A01", "2", "50.00")])
    with pytest.raises(LabRefused):
        lab.settle(mdtrt_id, "999.99")  # SETL_SUMAMT_MISMATCH
    lab.settle(mdtrt_id, "100.00")
    his.post({**his.envelope("2201"), "input": {}}, path="/fsi/api/fsiPsnInfoService/queryPsnInfo")
    his.close()

    _at_1366(driver)
    _log_in(driver, inspected)
    scroll_width, inner, clipped = driver.execute_script(CELLS_FIT)  # type: ignore[attr-defined]
    assert inner == WIDTH and scroll_width <= WIDTH, "the page scrolls sideways"
    assert clipped == [], clipped
    heads = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#transactions thead th")]  # type: ignore[attr-defined]
    assert len(heads) == 10 and heads[-2].startswith("错误码") and heads[-1] == "ms"
    code = driver.find_element(By.LINK_TEXT, "SETL_SUMAMT_MISMATCH")  # type: ignore[attr-defined]
    assert code.is_displayed() and code.rect["x"] + code.rect["width"] <= WIDTH
    lines = driver.execute_script("return arguments[0].getClientRects().length", code)  # type: ignore[attr-defined]
    assert lines == 1, "the error code is on one line, not broken"
    assert driver.find_element(By.LINK_TEXT, "HTTP_INFNO_PATH_MISMATCH").is_displayed()  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "latency").size["width"] > 1000  # type: ignore[attr-defined]
    assert "2207" in driver.find_element(By.ID, "counts").text  # type: ignore[attr-defined]
    seen = _screenshot(driver, tmp_path / "inspector-list.png")
    assert seen.get(REFUSED_RED, 0) > 20, "the refused outcome is drawn in red"

    code.click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/inspector/errors#SETL_SUMAMT_MISMATCH"))
    entry = driver.find_element(By.ID, "SETL_SUMAMT_MISMATCH")  # type: ignore[attr-defined]
    assert "medfee_sumamt" in entry.text and entry.is_displayed()
    _screenshot(driver, tmp_path / "inspector-errors.png")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # type: ignore[attr-defined]
