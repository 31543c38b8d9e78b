"""A real browser on the inspector: headless Chromium (Debian's chromium and chromium-driver,
installed here when missing) finds a settlement by setl_id and sees its rule trace.

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


@pytest.mark.timeout(1200)  # the first run may install chromium
def test_find_a_settlement_by_setl_id_and_see_its_rule_trace(
    browser: object, http_served: str, lab: Lab, tmp_path: Path
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

    driver.get(f"{http_served}/inspector")  # type: ignore[attr-defined]
    assert "Transactions" in driver.title  # type: ignore[attr-defined]
    box = driver.find_element(By.ID, "f-setl_id")  # type: ignore[attr-defined]
    box.send_keys(setl_id)
    driver.find_element(By.ID, "search").click()  # type: ignore[attr-defined]
    # a click does not wait for the next page: wait until the filtered list has replaced the full one
    WebDriverWait(driver, 10).until(lambda d: f"setl_id={setl_id}" in d.current_url)
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")  # type: ignore[attr-defined]
    assert len(rows) == 1 and "2207" in rows[0].text and setl_id in rows[0].text
    rows[0].find_element(By.TAG_NAME, "a").click()

    WebDriverWait(driver, 10).until(lambda d: "/inspector/tx/" in d.current_url)
    trace = driver.find_element(By.ID, "trace")  # type: ignore[attr-defined]
    assert "Settlement rule trace" in trace.text
    for row in done.setldetail:
        assert row.setl_proc_info in trace.text
    assert "B02" in trace.text  # the item split: the 乙 item with its first-self-pay share
    assert driver.find_element(By.ID, "s-setl_id").text == setl_id  # type: ignore[attr-defined]
    driver.save_screenshot(str(tmp_path / "inspector.png"))  # type: ignore[attr-defined]
