"""Satisfaction surveys in a real browser (issue 5): a citizen answers on a phone-sized screen from the link a QR
poster carries, a counter tablet takes an answer in kiosk mode and resets, the reform office types in a paper form,
sees the results page and downloads the exports. Every page gets the axe check. The QR code itself is compared,
module by module, with an independent encoder (python-qrcode; segno is not used because it appends a zero codeword
after a byte-aligned terminator, which ISO/IEC 18004 §7.4.10 does not ask for, so its symbols differ from any
standard encoder's while still decoding)."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from xml.etree import ElementTree

import openpyxl
import pytest
import qrcode
from playwright.sync_api import Browser, Page

from conftest import CCHC, PHONE, check_a11y, click_and_wait, goto, login, main_text, new_context, url

CAMPAIGN = re.compile(r"Khảo sát sự hài lòng của người dân, tổ chức năm 20\d\d")


def open_campaign(page: Page) -> None:
    login(page, *CCHC)
    goto(page, "/surveys")
    click_and_wait(page, page.get_by_role("link", name=re.compile("năm 2026")))


def fill_sipas(page: Page, *, online: bool = False, field: bool = True) -> None:
    """Answers the starter SIPAS questionnaire as a person would: taps labels, never touches hidden questions."""
    if field:
        page.get_by_role("radio", name="Đất đai").check()
    page.locator("#q-kenh").get_by_text("Trực tuyến trên Cổng Dịch vụ công" if online else "Trực tiếp tại Bộ phận Một cửa", exact=True).click()
    if online:
        assert page.locator("#q-so_lan").is_hidden()
        page.locator("#q-cong_dvc").get_by_text("Rất hài lòng", exact=True).click()
    else:
        assert page.locator("#q-cong_dvc").is_hidden()
        page.locator("#q-so_lan").get_by_text("1 lần", exact=True).click()
    for q in ["tiep_can", "thu_tuc", "ket_qua"]:
        page.locator(f"#q-{q}").get_by_text("Hài lòng", exact=True).click()
    for row in ["thai_do", "huong_dan", "tuan_thu"]:
        page.locator(f"#q-cong_chuc-{row}").get_by_text("Rất hài lòng", exact=True).click()
    page.locator("#q-dung_hen").get_by_text("Có", exact=True).click()
    page.locator("#q-da_gop_y").get_by_text("Không", exact=True).click()
    assert page.locator("#q-xu_ly_gop_y").is_hidden()
    page.locator("#q-gop_y-text").fill("<b>Cảm ơn</b> cán bộ")


def test_phone_answer_from_the_qr_poster(browser: Browser, page: Page) -> None:
    open_campaign(page)
    click_and_wait(page, page.get_by_role("link", name=re.compile("Áp phích QR của")).first)
    link = page.locator(".poster-url code").inner_text().strip()
    assert "/s/" in link
    svg = page.locator(".qr svg")
    assert svg.get_attribute("role") == "img"

    phone = new_context(browser, PHONE).new_page()
    goto(phone, link)
    assert phone.locator("form.survey").is_visible()
    # Sending nothing: clear Vietnamese reasons, linked to the questions.
    click_and_wait(phone, phone.get_by_role("button", name="Gửi ý kiến"), status=400)
    assert "Xin chọn lĩnh vực thủ tục" in main_text(phone)
    assert "Xin trả lời Câu 3" in main_text(phone)
    fill_sipas(phone, online=True)
    click_and_wait(phone, phone.get_by_role("button", name="Gửi ý kiến"))
    assert "Cảm ơn ông/bà" in main_text(phone)
    phone.context.close()


def test_qr_code_matches_an_independent_encoder(page: Page) -> None:
    open_campaign(page)
    href = page.get_by_role("link", name=re.compile("Áp phích QR của")).first.get_attribute("href")
    token = href.split("/")[2]
    with urllib.request.urlopen(url(f"/s/{token}/qr.svg")) as r:
        body = r.read().decode()
    root = ElementTree.fromstring(body)
    ns = {"s": "http://www.w3.org/2000/svg"}
    n = int(root.get("viewBox").split()[2])
    size = n - 8
    dark = [[False] * size for _ in range(size)]
    for m in re.finditer(r"M(\d+) (\d+)h(\d+)", root.find("s:path", ns).get("d")):
        x, y, run = int(m.group(1)) - 4, int(m.group(2)) - 4, int(m.group(3))
        for i in range(run):
            dark[y][x + i] = True
    with urllib.request.urlopen(url(f"/s/{token}/poster")) as r:
        link = re.search(r"<code>([^<]+/s/" + token + ")</code>", r.read().decode()).group(1)
    matches = []
    for mask in range(8):
        ref = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=mask)
        ref.add_data(qrcode.util.QRData(link.encode(), mode=qrcode.util.MODE_8BIT_BYTE))
        ref.make(fit=True)
        matches.append(ref.get_matrix() == dark)
    assert any(matches), "the QR code differs from python-qrcode's for every mask"


def test_kiosk_answer_resets_to_a_blank_form(browser: Browser, page: Page) -> None:
    open_campaign(page)
    kiosk_href = page.get_by_role("link", name=re.compile("Chế độ máy tại quầy của")).nth(1).get_attribute("href")
    tablet = new_context(browser, {"width": 800, "height": 1280}).new_page()
    goto(tablet, kiosk_href)
    assert tablet.locator(".main-nav").count() == 0  # no navigation on the counter tablet
    fill_sipas(tablet)
    click_and_wait(tablet, tablet.get_by_role("button", name="Gửi ý kiến"))
    assert "Người tiếp theo" in main_text(tablet)
    # Back to a blank form by itself (the person may hold the screen instead).
    assert tablet.get_by_role("button", name="Giữ màn hình này").is_visible()
    tablet.wait_for_url(re.compile(re.escape(kiosk_href) + "$"), timeout=20_000)
    tablet.wait_for_load_state()
    check_a11y(tablet)
    assert tablet.locator("input[type=radio]:checked").count() == 0
    tablet.context.close()


def test_paper_entry_results_and_exports(page: Page, tmp_path) -> None:
    open_campaign(page)
    click_and_wait(page, page.get_by_role("link", name=re.compile("Nhập phiếu giấy của")).first)
    page.fill("#f-paper-date", "2026-11-02")
    page.select_option("#f-field", "tu_phap")
    fill_sipas(page, field=False)
    click_and_wait(page, page.get_by_role("button", name="Lưu phiếu"))
    assert "Đã lưu phiếu giấy" in main_text(page)

    goto(page, "/surveys")
    click_and_wait(page, page.get_by_role("link", name=re.compile("năm 2026")))
    click_and_wait(page, page.get_by_role("link", name="Kết quả khảo sát"))
    text = main_text(page)
    assert "Chỉ số hài lòng chung" in text and "Theo yếu tố" in text and "Qua các đợt" in text
    assert page.locator("svg.chart[role=img] title").count() >= 2
    # The numbers behind the chart are in a table too.
    assert page.locator("table", has_text="Tiếp cận dịch vụ").count() >= 1

    with page.expect_download() as d:
        page.get_by_role("link", name="Tải kết quả tổng hợp (Excel)").click()
    path = tmp_path / "tong-hop.xlsx"
    d.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(1, 1).value == "Nhóm"
    assert sheet.cell(2, 1).value == "Toàn đợt"

    with page.expect_download() as d:
        page.get_by_role("link", name="Từng câu trả lời (CSV)").click()
    raw = (tmp_path / "phieu.csv")
    d.value.save_as(raw)
    rows = list(csv.reader(io.StringIO(raw.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Mã phiếu", "Thời điểm", "Mã"]
    assert any(r[5] == "accepted" and r[4] == "paper" for r in rows[1:])
    assert any(r[7] == "<b>Cảm ơn</b> cán bộ" for r in rows[1:])


def test_builder_quarantine_and_settings_pages(page: Page) -> None:
    """The office's other pages: the questionnaire (read-only once published), answers held for review with their
    reasons, and the province's targets; a bad target is refused with a reason."""
    login(page, *CCHC)
    goto(page, "/surveys")
    click_and_wait(page, page.get_by_role("link", name=re.compile("Phiếu khảo sát sự hài lòng")).first)
    assert "không sửa được" in main_text(page)
    goto(page, "/surveys")
    click_and_wait(page, page.get_by_role("link", name=re.compile("năm 2026")))
    click_and_wait(page, page.get_by_role("link", name="Phiếu cần xem xét"))
    assert "Gửi dồn dập từ một thiết bị" in main_text(page)
    goto(page, "/surveys/settings")
    page.fill("#f-ty-2", "2028")
    page.fill("#f-tp-2", "150")
    click_and_wait(page, page.get_by_role("button", name="Lưu"), status=400)
    assert "Mục tiêu không hợp lệ" in main_text(page)
