"""Procedure performance in a real browser: the reform office imports the procedures catalogue, issues an API
token for the one-stop system, the system sends dossiers through the JSON API, and the office drills down from
the province to the unit, to the procedure, to the late dossier itself. Every page gets the axe check."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from playwright.sync_api import Page

from conftest import CCHC, check_a11y, click_and_wait, goto, login, main_text, url

CATALOGUE = """Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Thời hạn giải quyết,Thời hạn nội bộ,Mức độ DVC,Phí
1.009999.000.00.00.H99,Cấp giấy phép xây dựng (kiểm thử trình duyệt),Xây dựng,Cấp xã,3,2,Một phần,75.000
"""


def send(token: str, dossiers: list[dict]) -> dict:
    req = urllib.request.Request(url("/api/v1/dossiers"), data=json.dumps({"dossiers": dossiers}).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=60) as res:
        assert res.status == 200
        return json.loads(res.read())


def test_drill_down_from_the_province_to_a_late_dossier(page: Page, tmp_path: Path) -> None:
    login(page, *CCHC)
    # The catalogue, from a spreadsheet (preview, then commit).
    csv = tmp_path / "tthc.csv"
    csv.write_text(CATALOGUE, encoding="utf-8")
    goto(page, "/import")
    page.select_option("select#f-kind", "procedures")
    page.set_input_files("input#f-file", str(csv))
    click_and_wait(page, page.locator("main form:has(input#f-file) button[type=submit]"))
    assert "kiểm thử trình duyệt" in main_text(page)
    click_and_wait(page, page.locator("button[name=commit]"))
    goto(page, "/performance/procedures")
    assert "1.009999.000.00.00.H99" in main_text(page)

    # A token for the one-stop system, shown once.
    goto(page, "/performance/tokens")
    page.fill("input#f-name", "Hệ thống một cửa (kiểm thử)")
    click_and_wait(page, page.locator("main form.card button[type=submit]"), status=201)
    token = page.locator("#new-token").inner_text().strip()
    assert re.fullmatch(r"tdk_[A-Za-z0-9_-]+", token)

    report = send(token, [
        {"code": "E2E-TRE-0001", "procedure_code": "1.009999.000.00.00.H99", "unit_code": "XTP", "channel": "counter",
         "received_at": "2025-03-02T09:00:00+07:00", "resolved_at": "2025-03-12T10:00:00+07:00", "result": "approved"},
        {"code": "E2E-SOM-0002", "procedure_code": "1.009999.000.00.00.H99", "unit_code": "XTP", "channel": "online",
         "received_at": "2025-03-02T09:00:00+07:00", "resolved_at": "2025-03-03T10:00:00+07:00", "result": "approved",
         "digitised": True},
    ])
    assert report["inserted"] + report["updated"] == 2, report

    goto(page, "/performance?year=2025&period=q1")
    assert "Xã Tân Phong" in main_text(page)
    click_and_wait(page, page.locator("main table a", has_text="Xã Tân Phong").first)
    assert "kiểm thử trình duyệt" in main_text(page)
    row = page.locator("main tr", has_text="1.009999.000.00.00.H99")
    click_and_wait(page, row.locator("a").first)
    text = main_text(page)
    assert "E2E-TRE-0001" in text and "E2E-SOM-0002" not in text
    check_a11y(page)

    # The office's other pages: the working calendar and target, and the dossiers kept aside.
    goto(page, "/performance/calendar")
    assert "Thứ Bảy" in main_text(page)
    goto(page, "/performance/rejects")
    assert "Hồ sơ chờ xử lý lại" in main_text(page)


DOSSIERS = """Mã hồ sơ,Mã thủ tục,Mã đơn vị,Kênh tiếp nhận,Ngày tiếp nhận,Ngày giải quyết,Kết quả
E2E-TEP-0001,1.009999.000.00.00.H99,XTP,trực tiếp,03/03/2025 09:00,04/03/2025 15:00,giải quyết
E2E-TEP-0002,9.999999.000.00.00.H99,XTP,trực tuyến,03/03/2025 10:00,,
"""


def test_a_dossier_file_and_the_group_score_setting(page: Page, tmp_path: Path) -> None:
    login(page, *CCHC)
    # A file with a bad row is refused whole, row by row.
    bad = tmp_path / "ho-so-loi.csv"
    bad.write_text(DOSSIERS + "E2E-TEP-0003,1.009999.000.00.00.H99,XTP,fax,03/03/2025 10:00,,\n", encoding="utf-8")
    goto(page, "/import?kind=dossiers")
    assert page.locator("select#f-kind").input_value() == "dossiers"
    page.set_input_files("input#f-file", str(bad))
    click_and_wait(page, page.locator("main form:has(input#f-file) button[type=submit]"))
    text = main_text(page)
    assert "Dòng 4" in text and "fax" in text
    assert page.locator("button[name=commit]").count() == 0

    # The corrected file: previewed (one row kept aside for an unknown procedure), then stored.
    good = tmp_path / "ho-so.csv"
    good.write_text(DOSSIERS, encoding="utf-8")
    goto(page, "/import?kind=dossiers")
    page.set_input_files("input#f-file", str(good))
    click_and_wait(page, page.locator("main form:has(input#f-file) button[type=submit]"))
    text = main_text(page)
    assert "Giữ lại chờ xử lý" in text and "E2E-TEP-0001" in text
    click_and_wait(page, page.locator("button[name=commit]"))
    assert "Hồ sơ chờ xử lý lại" in main_text(page)  # the link to the kept-aside dossiers
    goto(page, "/performance/rejects")
    assert "E2E-TEP-0002" in main_text(page)

    # The group scores' setting: a share that does not add up is refused with the reason, then corrected.
    goto(page, "/performance/calendar")
    page.fill("input#f-share_online", "60")
    click_and_wait(page, page.locator("main form.card button[type=submit]"), status=422)
    assert "phải cộng lại bằng 100 %" in main_text(page)
    page.fill("input#f-share_online", "50")
    click_and_wait(page, page.locator("main form.card button[type=submit]"))
    goto(page, "/performance?year=2025&period=y")
    assert "Điểm 5 nhóm chỉ số theo đơn vị" in main_text(page)
