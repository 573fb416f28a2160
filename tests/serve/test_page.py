"""The review page in a real browser: headless Chromium from Debian driven by Selenium.

Needs `apt-get install chromium chromium-driver` (.ci/run installs them); skipped with that reason otherwise.
Set ZHBRIDGE_SCREENSHOT=FILE.png to keep a screenshot of the page after a translation and a lookup.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from .conftest import ZH

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
# a module-level mark, so that a skip starts no server (session fixtures are set up before function ones)
pytestmark = pytest.mark.skipif(
    not CHROMIUM or not DRIVER,
    reason="headless browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser():
    if not CHROMIUM or not DRIVER:
        pytest.skip(
            "headless browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra: pip install -e '.[test]'")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="zhbridge-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_page_translates_typed_text_and_looks_up_shudian(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url, _ = server
    browser.get(url + "/")
    wait = WebDriverWait(browser, 120)
    text = ZH[0] + ZH[3]
    browser.find_element(By.ID, "source").send_keys(text)
    browser.find_element(By.ID, "translate").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "status"), "Done."))
    units = browser.find_elements(By.CSS_SELECTOR, "#result .unit")
    assert len(units) == 1
    english = units[0].find_element(By.CSS_SELECTOR, ".text").text
    from .client import post

    assert english == post(url + "/translate", {"q": text, "source": "zh"})[1]["translatedText"]
    # the glossary terms the engine found are highlighted, with their source in the tooltip
    marks = units[0].find_elements(By.CSS_SELECTOR, "mark.term")
    assert {m.get_attribute("title").split(" → ")[0] for m in marks} >= {"郑州", "竖店"}
    assert "Zhengzhou" in [m.text for m in marks]

    box = browser.find_element(By.ID, "lookup-q")
    box.send_keys("竖店")
    browser.find_element(By.ID, "lookup-go").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#lookup-results tbody tr td")))
    first = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#lookup-results tbody tr:first-child td")]
    assert first[:4] == ["exact", "竖店", "shù diàn", "Shudian"]
    shot = os.environ.get("ZHBRIDGE_SCREENSHOT")
    if shot:
        browser.save_screenshot(shot)
