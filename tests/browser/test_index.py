"""The PAR Index year in a real browser: a unit officer scores with an upload, the head submits, an appraiser
adjusts and asks for an explanation, the unit explains, the council approves, the reform office publishes, and
the public page shows the result with its digest. Every page visited gets the axe check."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page

from conftest import APPRAISER, CCHC, COUNCIL, HEAD, OFFICER, check_a11y, click_and_wait, goto, login, main_text, new_context

CYCLE = "Chỉ số CCHC năm 2026"

# What to type for each method, recognised by the hint printed beside the input.
ANSWERS = [("đạt / không đạt", "đạt"), ("số phiếu", "10;2;1;0"), ("số lần vi phạm", "0"), ("tỷ lệ %", "95"),
           ("số thực hiện", "10"), ("điểm", "0,5")]


def as_user(browser: Browser, who: tuple[str, str]) -> Page:
    ctx = new_context(browser)
    page = ctx.new_page()
    login(page, *who)
    return page


def open_sheet(page: Page) -> None:
    goto(page, "/index")
    click_and_wait(page, page.get_by_role("link", name=re.compile(r"Sở Nội vụ — " + CYCLE)))


def open_cycle(page: Page) -> None:
    goto(page, "/index")
    click_and_wait(page, page.locator("main table").get_by_role("link", name=CYCLE, exact=True))


def advance(page: Page, to: str) -> None:
    open_cycle(page)
    click_and_wait(page, page.get_by_role("button", name=f"Chuyển sang: {to}"))
    assert "Đã lưu" in main_text(page)


def test_par_index_year(browser: Browser, tmp_path: Path):
    # The officer scores every criterion of the Department of Home Affairs and uploads a PDF.
    officer = as_user(browser, OFFICER)
    open_sheet(officer)
    inputs = officer.locator("main input[name^='v_']")
    assert inputs.count() > 20
    for i in range(inputs.count()):
        field = inputs.nth(i)
        hint = field.locator("xpath=following-sibling::small[1]").inner_text()
        field.fill(next(value for key, value in ANSWERS if key in hint))
    click_and_wait(officer, officer.get_by_role("button", name="Lưu điểm tự chấm"))
    assert "Đã lưu" in main_text(officer)
    first_code = officer.locator("main select[name=criterion] option").first.get_attribute("value")
    pdf = tmp_path / "ke-hoach-cchc.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    officer.select_option("select[name=criterion]", first_code)
    officer.set_input_files("#f-file", str(pdf))
    click_and_wait(officer, officer.get_by_role("button", name="Thêm tài liệu"))
    assert "Đã thêm tài liệu kiểm chứng" in main_text(officer)
    assert officer.get_by_role("link", name="ke-hoach-cchc.pdf").count() == 1

    # The head submits and locks the sheet.
    head = as_user(browser, HEAD)
    open_sheet(head)
    click_and_wait(head, head.get_by_role("button", name="Nộp và khóa phiếu"))
    assert "Đã nộp" in main_text(head)

    # Round 1: the appraiser lowers one criterion with a reason and asks for an explanation.
    cchc = as_user(browser, CCHC)
    advance(cchc, "Thẩm định vòng 1")
    appraiser = as_user(browser, APPRAISER)
    open_sheet(appraiser)
    appraiser.fill(f"input[name='a_{first_code}']", "không đạt")
    appraiser.fill(f"input[name='r_{first_code}']", "Kế hoạch ban hành chậm")
    appraiser.check(f"input[name='x_{first_code}']")
    appraiser.fill(f"input[name='q_{first_code}']", "Đề nghị cung cấp văn bản ban hành kế hoạch")
    click_and_wait(appraiser, appraiser.get_by_role("button", name="Lưu kết quả thẩm định"))
    assert "Đã lưu" in main_text(appraiser)

    # The unit explains.
    advance(cchc, "Giải trình")
    open_sheet(officer)
    officer.fill(f"textarea[name='e_{first_code}']", "Kế hoạch số 412/KH-SNV ban hành ngày 20/12/2025, đúng hạn.")
    click_and_wait(officer, officer.get_by_role("button", name="Gửi giải trình"))
    assert "Đã lưu" in main_text(officer)

    # Round 2, the council, publication.
    advance(cchc, "Thẩm định vòng 2")
    advance(cchc, "Hội đồng thông qua")
    council = as_user(browser, COUNCIL)
    open_cycle(council)
    click_and_wait(council, council.get_by_role("button", name="Hội đồng thông qua kết quả"))
    open_cycle(cchc)
    click_and_wait(cchc, cchc.get_by_role("button", name="Công bố kết quả"))
    public_url = cchc.url
    assert "/public/index/" in public_url

    # The reform office's ranking export opens in a real spreadsheet reader.
    open_cycle(cchc)
    with cchc.expect_download() as dl:
        cchc.locator("main a[href$='/ranking/xlsx']").click()
    path = tmp_path / "xep-hang.xlsx"
    dl.value.save_as(str(path))
    import openpyxl
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert "Chỉ số (%)" in header and ws.max_row > 10, header

    # Anyone sees the published ranking with its digest.
    public = new_context(browser).new_page()
    goto(public, public_url)
    digest = public.locator("code.digest").first.inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", digest), digest
    assert "Nội dung khớp với mã kiểm tra" in main_text(public)
    assert "Sở Nội vụ" in main_text(public)
    click_and_wait(public, public.get_by_role("link", name="Sở Nội vụ", exact=True).first)
    assert "Điểm theo lĩnh vực" in main_text(public)
    check_a11y(public)
