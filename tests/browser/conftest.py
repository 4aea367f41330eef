"""Fixtures and helpers for ThiDua's browser suite (pytest + Playwright sync API + axe-core).

The suite runs against a server that scripts/test.sh starts with the demo province and two test accounts:
  e2e.admin   / E2e-Admin-2026    system_admin at UBND (the province)
  e2e.officer / E2e-Officer-2026  unit_officer at SNV (Sở Nội vụ)

Environment:
  THIDUA_URL      base URL of the running app (default http://127.0.0.1:18080)
  CHROMIUM_PATH   Chromium executable (default /usr/bin/chromium; no `playwright install` is used)
  SCREENSHOT_DIR  when set, test_screenshots writes PNGs there
  E2E_ARTIFACTS   where a failing test leaves a screenshot and the page HTML (default test-results/)
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Response, sync_playwright

BASE_URL = os.environ.get("THIDUA_URL", "http://127.0.0.1:18080").rstrip("/")
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS") or "test-results")

ADMIN = ("e2e.admin", "E2e-Admin-2026")
OFFICER = ("e2e.officer", "E2e-Officer-2026")
HEAD = ("e2e.head", "E2e-Head-2026")
CCHC = ("e2e.cchc", "E2e-Cchc-2026")
APPRAISER = ("e2e.appraiser", "E2e-Appraiser-2026")
COUNCIL = ("e2e.council", "E2e-Council-2026")

# The debug build is slow on a 2-core machine (exports of the whole demo province in particular).
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 90_000

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# --------------------------------------------------------------------------------------------------------
# Accessibility

_AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = ("serious", "critical")


def _target(target) -> str:
    # axe targets are CSS selectors, or lists of them for frames / shadow DOM.
    if isinstance(target, list):
        return " >>> ".join(_target(t) for t in target)
    return str(target)


def check_a11y(page: Page) -> None:
    """Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; fails on serious or critical issues."""
    results = _AXE.run(page, options=AXE_OPTIONS)
    violations = results.response.get("violations", [])
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if not blocking:
        return
    lines = [f"Accessibility violations on {page.url}:"]
    for v in blocking:
        lines.append(f"- [{v.get('impact')}] {v.get('id')}: {v.get('help')}  ({v.get('helpUrl', '')})")
        for node in v.get("nodes", []):
            targets = ", ".join(_target(t) for t in node.get("target", []))
            lines.append(f"      at {targets}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", " | ")
            if summary:
                lines.append(f"         {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


# --------------------------------------------------------------------------------------------------------
# Navigation helpers: every one of them waits for the page and runs check_a11y on it.


def url(path: str) -> str:
    return path if path.startswith("http") else BASE_URL + path


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def goto(page: Page, path: str, *, status: int | None = 200, a11y: bool = True) -> Response | None:
    """Navigates to `path`; checks the final HTTP status (None: any status) and accessibility."""
    response = page.goto(url(path), wait_until="load")
    page.wait_for_load_state()
    if status is not None:
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"GET {path} → HTTP {response.status} (expected {status}) at {page.url}"
    if a11y:
        check_a11y(page)
    return response


def click_and_wait(page: Page, target: Locator | str, *, status: int | None = 200, a11y: bool = True) -> Response | None:
    """Clicks a link or submit button that navigates; waits for the new page, checks its status and accessibility."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation(wait_until="load") as nav:
        locator.click()
    page.wait_for_load_state()
    response = nav.value
    if status is not None:
        assert response is not None, f"no response after clicking {locator}"
        assert response.status == status, f"HTTP {response.status} (expected {status}) at {page.url}"
    if a11y:
        check_a11y(page)
    return response


def login(page: Page, username: str, password: str, *, expect_success: bool = True) -> Response | None:
    """Signs in through the login form."""
    goto(page, "/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    response = click_and_wait(page, page.locator("main form button[type=submit]"), status=None)
    if expect_success:
        assert path_of(page) != "/login", (
            f"sign-in as {username} failed: still on {page.url}: {squash(main_text(page))[:300]}"
        )
        assert response is not None and response.status == 200, f"sign-in landed on HTTP {response and response.status}"
    return response


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM_PATH, args=["--no-sandbox"], headless=True)
        yield b
        b.close()


def new_context(browser: Browser, viewport: dict | None = None) -> BrowserContext:
    ctx = browser.new_context(
        base_url=BASE_URL,
        viewport=viewport or DESKTOP,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
        # Lets axe run whatever the page's CSP says. It also means a script the app failed to escape WOULD run,
        # so the import test's "no dialog" check tests the escaping itself, not only the CSP.
        bypass_csp=True,
    )
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    ctx.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return ctx


@pytest.fixture
def context(browser: Browser) -> BrowserContext:
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, request) -> Page:
    p = context.new_page()
    yield p
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _save_artifacts(p, request.node.name)


def _save_artifacts(page: Page, name: str) -> None:
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        (ARTIFACTS / f"{safe}.html").write_text(page.content(), encoding="utf-8")
        (ARTIFACTS / f"{safe}.json").write_text(json.dumps({"url": page.url}), encoding="utf-8")
        print(f"\n[e2e] failure artifacts: {ARTIFACTS / safe}.png / .html (at {page.url})")
    except Exception as e:  # never hide the real failure
        print(f"\n[e2e] could not save failure artifacts: {e}")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
