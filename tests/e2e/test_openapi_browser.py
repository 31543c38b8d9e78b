"""The OpenAPI viewer at /openapi in a real browser (headless Chromium, as tests/e2e/test_inspector_browser.py drives
it): the page fetches /openapi.json from the gateway itself, lists every transaction, filters them, and shows one's
request and reply fields with the protos' descriptions, a nested message opened on demand."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_inspector_browser import browser  # noqa: F401  (the fixture: headless Chromium)

from yibao.transactions import transactions

SETTLE_PATH = "/fsi/api/outpatientSettleService/saveSettletmentV2"


def test_the_viewer_lists_filters_and_shows_a_transaction(browser, http_served: str) -> None:  # noqa: F811
    driver = browser
    driver.get(http_served + "/openapi")
    wait = WebDriverWait(driver, 15)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "nav a")) > len(transactions()))
    assert (
        len(driver.find_elements(By.CSS_SELECTOR, "nav a"))
        == 2 * len(transactions()) - sum(1 for tx in transactions().values() if not tx.http_path) + 1
    )  # /{infno} for each, its Hebei path where it has one, and the dispatch address

    driver.find_element(By.ID, "q").send_keys("门诊结算")
    shown = [a.get_attribute("data-path") for a in driver.find_elements(By.CSS_SELECTOR, "nav a")]
    assert SETTLE_PATH in shown and "/2207" in shown and "/2201" not in shown

    driver.find_element(By.CSS_SELECTOR, f'nav a[data-path="{SETTLE_PATH}"]').click()
    view = driver.find_element(By.ID, "view")
    wait.until(lambda d: "2207 门诊结算" in view.find_element(By.TAG_NAME, "h1").text)
    assert f"POST {http_served}{SETTLE_PATH}" in view.text
    headings = [h.text for h in view.find_elements(By.TAG_NAME, "h2")]
    assert headings == ["Request: Request_2207", "Reply: Reply_2207"]
    names = [td.text for td in view.find_elements(By.CSS_SELECTOR, "td.name")]
    assert {"infno", "msgid", "inf_time", "input", "infcode", "output"} <= set(names)

    opened = next(d for d in view.find_elements(By.TAG_NAME, "details") if "SettleInput.in" in d.text)
    opened.find_element(By.TAG_NAME, "summary").click()
    wait.until(lambda d: "data" in [td.text for td in opened.find_elements(By.CSS_SELECTOR, "td.name")])
