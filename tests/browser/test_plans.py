"""PAR plans in a real browser: the reform office writes a plan (one task by hand, the rest imported from a
spreadsheet) and issues it; the Department of Home Affairs' officer reports progress with a file; the clock moves
past the deadline (a second server on the same database with THIDUA_TODAY) and the task escalates up the ladder;
the progress report downloads as XLSX and opens in a real spreadsheet reader. Every page gets the axe check."""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import CCHC, HEAD, OFFICER, check_a11y, click_and_wait, goto, login, main_text, new_context

PLAN = "Kế hoạch CCHC bổ sung năm 2026 (kiểm thử)"
IMPORTED = """STT,Lĩnh vực,Tên nhiệm vụ,Chỉ tiêu,Đơn vị tính,Loại sản phẩm,Sản phẩm,Thời hạn,Đơn vị chủ trì,Người phụ trách
2,Cải cách thể chế,Rà soát văn bản QPPL,100,% văn bản,Báo cáo,Báo cáo rà soát,30/11/2026,Sở Tư pháp,Lê Văn Cường
3,Cải cách TTHC,Cắt giảm thời gian giải quyết TTHC,25,% thời gian,Quyết định,Quyết định công bố,15/12/2026,so noi vu,Phạm Thu Hà
4,Tổ chức bộ máy,Rà soát chức năng nhiệm vụ,100,% cơ quan,Quyết định,Quyết định quy định chức năng,10/12/2026,SNV,Ngô Minh
5,Chế độ công vụ,Bồi dưỡng kỹ năng số,200,lượt người,Hội nghị,Lớp bồi dưỡng,20/12/2026,SNV,Đỗ Lan
6,Tài chính công,Giao tự chủ tài chính,10,đơn vị,Quyết định,Quyết định giao tự chủ,25/12/2026,Sở Tài chính,Vũ Hải
7,Chính quyền số,Số hóa hồ sơ TTHC,100,% hồ sơ,Hệ thống,Kho dữ liệu số,28/12/2026,SNV,Trịnh Quang
"""


def as_user(browser: Browser, who: tuple[str, str], base_url: str | None = None) -> Page:
    ctx = new_context(browser)
    page = ctx.new_page()
    login(page, *who)
    return page


@pytest.fixture
def later_server():
    """A second app server on the same SQLite database whose clock says 20 January 2027."""
    binary, data = os.environ.get("THIDUA_BIN"), os.environ.get("THIDUA_E2E_DATA_DIR")
    if not binary or not data:
        pytest.skip("THIDUA_BIN / THIDUA_E2E_DATA_DIR not set (scripts/test.sh sets them)")
    port = int(os.environ.get("THIDUA_TEST_APP_PORT2", "18081"))
    env = dict(os.environ, THIDUA_DATA_DIR=data, THIDUA_TODAY="20/01/2027", THIDUA_BCRYPT_COST="4")
    env.pop("DATABASE_URL", None)
    log = open(Path(data) / "server-later.log", "w")
    proc = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=log,
                            stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(60):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except Exception:
            time.sleep(1)
    else:
        proc.kill()
        pytest.fail("the second app server did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def open_plan(page: Page) -> None:
    goto(page, "/plans")
    click_and_wait(page, page.get_by_role("link", name=PLAN, exact=True))


def test_plan_issue_report_overdue_escalation_export(browser: Browser, tmp_path: Path, later_server: str):
    # The reform office writes a plan for the Department of Home Affairs.
    cchc = as_user(browser, CCHC)
    # The escalation ladder is data it edits; an inverted ladder is refused in words and nothing changes.
    goto(cchc, "/followup/rules")
    cchc.fill("#f-head_after_days", "20")
    cchc.fill("#f-office_after_days", "10")
    click_and_wait(cchc, cchc.locator("main form button[type=submit]"), status=400)
    assert "không nhỏ hơn số ngày báo lãnh đạo" in main_text(cchc)
    goto(cchc, "/followup/rules")
    assert cchc.input_value("#f-office_after_days") == "15"
    goto(cchc, "/plans")
    click_and_wait(cchc, cchc.get_by_role("link", name="Thêm kế hoạch"))
    cchc.select_option("#f-kind", "annual")
    cchc.fill("#f-title", PLAN)
    cchc.fill("#f-unit", "so noi vu")
    cchc.fill("#f-year_from", "2026")
    cchc.fill("#f-year_to", "2026")
    cchc.fill("#f-doc_number", "301/KH-SNV")
    cchc.fill("#f-doc_date", "05/01/2026")
    click_and_wait(cchc, cchc.get_by_role("button", name="Lưu"))
    assert "Đã lưu" in main_text(cchc)
    assert "chưa có nhiệm vụ" in main_text(cchc).lower()

    # One task by hand, with a mistake first (a target without its unit).
    click_and_wait(cchc, cchc.get_by_role("link", name="Thêm nhiệm vụ"))
    cchc.fill("#f-code", "1")
    cchc.select_option("#f-area", "0")
    cchc.fill("#f-title", "Ban hành kế hoạch kiểm tra CCHC")
    cchc.fill("#f-target_value", "100")
    cchc.select_option("#f-output_kind", "plan")
    cchc.fill("#f-output", "Kế hoạch kiểm tra")
    cchc.fill("#f-due_on", "15/12/2026")
    cchc.fill("#f-lead_unit", "SNV")
    cchc.fill("#f-officer", "Cán bộ E2E")
    click_and_wait(cchc, cchc.get_by_role("button", name="Lưu"), status=400)
    assert "Đơn vị tính" in main_text(cchc) or "bắt buộc" in main_text(cchc)
    cchc.fill("#f-target_unit", "% đơn vị")
    click_and_wait(cchc, cchc.get_by_role("button", name="Lưu"))

    # Issuing is refused while areas are empty; the other six come from a spreadsheet.
    click_and_wait(cchc, cchc.get_by_role("button", name="Ban hành kế hoạch"), status=422)
    assert "Chưa ban hành được" in main_text(cchc)
    click_and_wait(cchc, cchc.get_by_role("link", name="Nhập nhiệm vụ từ tệp"))
    csv = tmp_path / "nhiem-vu.csv"
    csv.write_text(IMPORTED, encoding="utf-8")
    cchc.set_input_files("#f-file", str(csv))
    click_and_wait(cchc, cchc.get_by_role("button", name="Kiểm tra thử"))
    assert "6 nhiệm vụ hợp lệ" in main_text(cchc)
    click_and_wait(cchc, cchc.get_by_role("button", name="Ghi 6 dòng"))
    click_and_wait(cchc, cchc.get_by_role("button", name="Ban hành kế hoạch"))
    assert "Đã ban hành" in main_text(cchc)

    # The officer of the lead unit reports 40 % with a PDF.
    officer = as_user(browser, OFFICER)
    open_plan(officer)
    click_and_wait(officer, officer.get_by_role("link", name="Ban hành kế hoạch kiểm tra CCHC"))
    officer.fill("#f-percent", "40")
    officer.fill("#f-note", "Đã xây dựng dự thảo kế hoạch kiểm tra.")
    pdf = tmp_path / "du-thao.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    officer.set_input_files("#f-file", str(pdf))
    click_and_wait(officer, officer.get_by_role("button", name="Gửi báo cáo"))
    assert "Đã ghi nhận báo cáo tiến độ" in main_text(officer)
    assert officer.get_by_role("link", name="du-thao.pdf").count() == 1
    # Over 100 % is refused in words.
    officer.fill("#f-percent", "140")
    click_and_wait(officer, officer.get_by_role("button", name="Gửi báo cáo"), status=400)
    assert "không được vượt 100" in main_text(officer)

    # 20 January 2027: 36 days late; the head and the reform office both see it on the escalation ladder.
    for who in (HEAD, CCHC):
        later = new_context(browser).new_page()
        goto(later, later_server + "/login")
        later.fill("#f-username", who[0])
        later.fill("#f-password", who[1])
        click_and_wait(later, later.locator("main form button[type=submit]"))
        goto(later, later_server + "/followup")
        text = main_text(later)
        assert "Ban hành kế hoạch kiểm tra CCHC" in text, text[:500]
        assert re.search(r"Quá hạn \d+ ngày — báo Sở Nội vụ", text), text[:500]
        if who == CCHC:
            # The province's overdue list, most overdue first, includes it too.
            goto(later, later_server + "/followup/overdue")
            assert "Ban hành kế hoạch kiểm tra CCHC" in main_text(later)
        later.context.close()

    # The year's report for the department, on screen and as XLSX.
    goto(cchc, "/followup/report")
    cchc.select_option("#f-unit", label="Sở Nội vụ")
    click_and_wait(cchc, cchc.get_by_role("button", name="Xem báo cáo"))
    assert "Tỷ lệ hoàn thành đúng hạn" in main_text(cchc)
    with cchc.expect_download() as dl:
        cchc.get_by_role("link", name="Tải Excel (XLSX)").click()
    path = tmp_path / "bao-cao.xlsx"
    dl.value.save_as(str(path))
    import openpyxl
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 3, wb.sheetnames
    summary = [[c.value for c in row] for row in wb.worksheets[0].iter_rows()]
    assert any(r[0] == "Tỷ lệ hoàn thành đúng hạn" for r in summary), summary
    check_a11y(cchc)
