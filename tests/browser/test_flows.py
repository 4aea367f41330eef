"""End-to-end flows through a real browser. Each test gets a fresh browser context (no shared cookies) and
runs axe-core on every page it reaches (goto / click_and_wait / login do that)."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import (
    ADMIN,
    OFFICER,
    PHONE,
    click_and_wait,
    goto,
    login,
    main_text,
    new_context,
    path_of,
    squash,
)

UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
GOOD_ROW = ["E2E-1", "Phòng Thử nghiệm E2E", "phòng", "SNV"]
FORMULA_ROW = ["E2E-2", '=HYPERLINK("http://x")', "phòng", "SNV"]
MARKUP_ROW = ["E2E-3", "<script>alert(1)</script>", "xã", "KHONGCO"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    # UTF-8 with BOM and CRLF, as Excel writes it; the csv module quotes the formula cell's inner quotes.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


def search(page: Page, text: str) -> None:
    page.fill("#f-q", text)
    click_and_wait(page, page.locator("form[role=search] button[type=submit]"))


# ----------------------------------------------------------------------------------------------------------


def test_public_home_and_login_page(page: Page):
    goto(page, "/")
    assert "ThiDua" in page.content()
    expect(page.locator("header")).to_contain_text("ThiDua")

    goto(page, "/login")
    form = page.locator("main form")
    expect(form).to_have_count(1)
    expect(page.locator("#f-username")).to_be_visible()
    expect(page.locator("#f-password")).to_be_visible()
    expect(page.locator("#f-password")).to_have_attribute("type", "password")
    expect(page.locator("main form button[type=submit]")).to_be_visible()


def test_wrong_password(page: Page):
    response = login(page, ADMIN[0], "Sai-Mat-Khau-123", expect_success=False)
    assert path_of(page) == "/login"
    assert response is not None and response.status in (400, 401, 403), f"HTTP {response and response.status}"
    assert "không đúng" in main_text(page)
    # The password is never echoed back into the form.
    assert page.input_value("#f-password") == ""


def test_browse_search_edit_unit(page: Page):
    login(page, *ADMIN)
    goto(page, "/units")
    search(page, "so noi vu")
    table = page.locator("main table")
    expect(table).to_contain_text("Sở Nội vụ")

    click_and_wait(page, table.get_by_role("link", name="Sở Nội vụ", exact=True))
    expect(page.locator("main h1")).to_contain_text("Sở Nội vụ")

    click_and_wait(page, page.locator("main").get_by_role("link", name="Sửa", exact=True))
    page.fill("#f-short_name", "SNV-E2E")
    page.fill("#f-reason", "Kiểm thử E2E")
    click_and_wait(page, page.locator("main form.card button[type=submit]"))

    assert "/edit" not in path_of(page), f"the form came back instead of saving: {main_text(page)[:500]}"
    expect(page.locator("main")).to_contain_text("SNV-E2E")
    expect(page.locator(".flash")).to_be_visible()

    click_and_wait(page, page.locator("main").get_by_role("link", name="Lịch sử thay đổi"))
    expect(page.locator("main")).to_contain_text("SNV-E2E")


def test_import_preview_with_bad_row(page: Page, tmp_path: Path):
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    login(page, *ADMIN)

    # 1. A file with one good row and two bad ones: the preview lists the problems and offers no commit.
    bad_csv = write_csv(tmp_path / "don-vi-loi.csv", [UNIT_HEADER, GOOD_ROW, FORMULA_ROW, MARKUP_ROW])
    upload(page, "units", bad_csv)
    text = squash(main_text(page))
    assert "Dòng 3" in text, f"row 3 (formula) is not reported:\n{text[:2000]}"
    assert "Dòng 4" in text, f"row 4 (markup) is not reported:\n{text[:2000]}"
    assert_no_commit(page)
    assert page.locator("main script").count() == 0, "uploaded markup became a <script> element"
    assert dialogs == [], f"script from the upload ran: {dialogs}"

    # 2. The corrected file: no problems, commit, and the unit is in the registry.
    good_csv = write_csv(tmp_path / "don-vi.csv", [UNIT_HEADER, GOOD_ROW])
    upload(page, "units", good_csv)
    text = squash(main_text(page))
    assert "Dòng 3" not in text and "Dòng 4" not in text, f"problems listed for a clean file:\n{text[:2000]}"
    commit = page.locator("button[name=commit]")
    expect(commit).to_have_count(1)
    expect(commit).to_be_enabled()
    click_and_wait(page, commit)
    expect(page.locator(".flash")).to_be_visible()

    goto(page, "/units?q=e2e")
    expect(page.locator("main table")).to_contain_text("Phòng Thử nghiệm E2E")
    assert dialogs == [], f"script from the upload ran: {dialogs}"


def upload(page: Page, kind: str, file: Path) -> None:
    goto(page, "/import")
    page.select_option("select#f-kind", kind)
    page.set_input_files("input#f-file", str(file))
    click_and_wait(page, page.locator("main form:has(input#f-file) button[type=submit]"))


def assert_no_commit(page: Page) -> None:
    buttons = page.locator("button[name=commit]")
    for i in range(buttons.count()):
        assert buttons.nth(i).is_disabled(), "a commit button is offered although the file has errors"


def test_officer_cannot_manage_users(page: Page):
    login(page, *OFFICER)
    response = goto(page, "/admin/users", status=403)  # goto runs check_a11y on the error page
    assert response is not None and response.status == 403
    assert "Không có quyền" in page.content()
    # A friendly page in the site frame, not a bare error body (goto has run check_a11y on it).
    expect(page.locator("main")).to_be_visible()


def test_admin_sets_reminder_address_and_sees_outbox(page: Page):
    login(page, *ADMIN)
    goto(page, "/admin/users")
    click_and_wait(page, page.get_by_role("link", name=OFFICER[0], exact=True))
    page.fill("#f-email", "khong-phai-dia-chi")
    # The browser's own check would stop an invalid type=email field; the server's answer is what is tested.
    page.eval_on_selector("form:has(#f-email)", "f => f.noValidate = true")
    click_and_wait(page, page.locator("form:has(#f-email) button[type=submit]"), status=400)
    assert "Địa chỉ thư điện tử không hợp lệ" in main_text(page)
    page.fill("#f-email", "canbo.e2e@snv.minhson.gov.vn")
    click_and_wait(page, page.locator("form:has(#f-email) button[type=submit]"))
    assert "Đã lưu" in main_text(page)
    assert page.input_value("#f-email") == "canbo.e2e@snv.minhson.gov.vn"
    goto(page, "/admin/users")
    click_and_wait(page, page.get_by_role("link", name="Thư điện tử nhắc việc"))
    text = main_text(page)
    # The test server has no mail relay: the page says so, and a test message is refused in words.
    assert "Chưa bật gửi thư" in text
    page.fill("#f-to", "quantri@snv.minhson.gov.vn")
    click_and_wait(page, page.get_by_role("button", name="Gửi thư thử"), status=422)
    assert "Chưa cấu hình máy chủ thư" in main_text(page)


def test_logout(page: Page):
    login(page, *ADMIN)
    click_and_wait(page, page.locator("header form button[type=submit]"))
    assert path_of(page) == "/login"
    status = page.locator("main .flash, main [role=status]")
    expect(status.first).to_be_visible()

    goto(page, "/units", status=200)
    assert path_of(page) == "/login", f"/units after sign-out showed {page.url}"


def test_people_page_and_export(page: Page, tmp_path: Path):
    login(page, *ADMIN)
    goto(page, "/people")
    rows = page.locator("main table tbody tr")
    assert rows.count() > 0, "the people list is empty"

    search(page, "nguyen")
    assert rows.count() > 0, "searching 'nguyen' (no diacritics) found nobody"
    expect(page.locator("main table")).to_contain_text("Nguyễn")

    link = page.locator('main a[href*="people.xlsx"]').first
    with page.expect_download(timeout=120_000) as info:
        link.click()
    download = info.value
    assert download.failure() is None, download.failure()
    target = tmp_path / "people.xlsx"
    download.save_as(str(target))

    wb = openpyxl.load_workbook(target)
    ws = wb.worksheets[0]
    header = ws.cell(row=1, column=1).value
    assert header not in (None, ""), "the export's header row starts with an empty cell"
    assert ws.max_row > 10, f"the export has only {ws.max_row} rows"


@pytest.mark.skipif(not os.environ.get("SCREENSHOT_DIR"), reason="SCREENSHOT_DIR not set")
def test_screenshots(page: Page, browser: Browser):
    out = Path(os.environ["SCREENSHOT_DIR"])
    out.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)

    login(page, *ADMIN)
    goto(page, "/")
    shot("home")
    goto(page, "/units")
    shot("units")
    first_unit = page.locator("main table tbody a").first.get_attribute("href")
    assert first_unit, "no unit link in the units table"
    goto(page, first_unit)
    shot("unit")
    for path, name in [("/people", "people"), ("/import", "import"), ("/admin/users", "users"), ("/audit", "audit"),
                       ("/index", "index"), ("/index/frameworks", "frameworks"), ("/public/index", "public-index"),
                       ("/plans", "plans"), ("/followup/report", "plan-report"), ("/followup/overdue", "overdue"),
                       ("/admin/mail", "mail")]:
        goto(page, path)
        shot(name)
    goto(page, "/plans")
    goto(page, page.get_by_role("link", name="Kế hoạch cải cách hành chính năm 2026", exact=True).get_attribute("href"))
    shot("plan")
    goto(page, page.locator("main table tbody a").first.get_attribute("href"))
    shot("task")
    goto(page, "/index")
    cycle = page.locator("main table").get_by_role("link", name="Chỉ số CCHC năm 2025", exact=True).get_attribute("href")
    goto(page, cycle)
    shot("index-cycle")
    sheet = page.locator("main table tbody a").first.get_attribute("href")
    goto(page, sheet)
    shot("index-sheet")
    goto(page, "/public/index")
    public = page.locator("main a").first.get_attribute("href")
    goto(page, public)
    shot("index-public")
    goto(page, "/surveys")
    shot("surveys")
    goto(page, page.get_by_role("link", name=re.compile("năm 2026")).get_attribute("href"))
    shot("survey-campaign")
    poster = page.get_by_role("link", name=re.compile("Áp phích QR của")).first.get_attribute("href")
    results = page.get_by_role("link", name="Kết quả khảo sát").get_attribute("href")
    goto(page, results)
    shot("survey-results")
    goto(page, poster)
    shot("survey-poster")
    link = page.locator(".poster-url code").inner_text().strip()

    phone = new_context(browser, viewport=PHONE)
    try:
        p = phone.new_page()
        goto(p, "/login")
        p.screenshot(path=str(out / "login-phone.png"), full_page=True)
        goto(p, link)
        p.screenshot(path=str(out / "survey-phone.png"), full_page=True)
    finally:
        phone.close()
