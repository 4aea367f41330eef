"""The year end in a real browser (issue 8): the reform office launches a movement; a unit's head builds the
dossier and sees the nominee's eligibility rule by rule; the office receives it, puts it under review and publishes
the candidates for comment; the council member votes by secret ballot; the office closes the session, drafts the
decision (DOCX opened by LibreOffice and read back as PDF text), records it as signed and publishes it; the
registry shows the award and the public page the decision. Every page gets the axe check."""

from __future__ import annotations

import datetime
import re
import unicodedata
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import CCHC, COUNCIL, HEAD, click_and_wait, goto, login, main_text, new_context


def vietnam_today() -> datetime.date:
    """The server's 'today' is Vietnam's (UTC+7): between 17:00 and 24:00 UTC it is already tomorrow there."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


DATA_DIR = os.environ.get("THIDUA_E2E_DATA_DIR", "")
OVERALL = "Kết luận"
RULES = "Điều kiện xét tặng"


def as_user(browser: Browser, user: tuple[str, str]) -> Page:
    page = new_context(browser).new_page()
    login(page, *user)
    return page


def nominee_candidate() -> tuple[str, str]:
    """A person of the Department of Home Affairs with no discipline or pending case and no BKCT this year."""
    db = sqlite3.connect(Path(DATA_DIR) / "thidua.sqlite")
    year = vietnam_today().year
    row = db.execute(
        """
        SELECT p.code, p.full_name FROM people p JOIN units u ON u.id = p.unit_id
        WHERE (u.code = 'SNV' OR u.code LIKE 'SNV-%')
          AND NOT EXISTS (SELECT 1 FROM person_periods x WHERE x.person_id = p.id AND x.category IN ('discipline', 'pending_case'))
          AND NOT EXISTS (SELECT 1 FROM award_records r WHERE r.person_id = p.id AND r.award_code = 'BKCT' AND r.year = ?)
          AND NOT EXISTS (SELECT 1 FROM award_nominees n WHERE n.person_id = p.id)
        ORDER BY p.code LIMIT 1
        """,
        (year,),
    ).fetchone()
    db.close()
    assert row, "the demo province has no suitable person in SNV"
    return row[0], row[1]


def docx_text(data: bytes) -> str:
    """What a real reader makes of the DOCX: LibreOffice converts it to PDF, pdftotext reads the PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to check the documents"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.docx"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=180,
        )
        pdf = Path(tmp) / "doc.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, "LibreOffice produced no PDF"
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        assert "595.3" in info and "841.89" in info, f"not A4: {info}"  # A4 in points
        fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        # Compared without spaces and line breaks: table cells wrap names, and pdftotext may split a word at a
        # combining mark ("b ỏ phiếu").
        text = unicodedata.normalize("NFC", re.sub(r"\s+", "", text))
        # Times New Roman, or the metric-compatible Liberation Serif LibreOffice substitutes where it is not installed.
        assert "Times" in fonts or "LiberationSerif" in fonts, fonts
        return text


def has(text: str, words: str) -> bool:
    """`words` in a document's text as `docx_text` returns it (no spaces)."""
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", words)) in text


def download(page: Page, link_text: str) -> bytes:
    with page.expect_download() as d:
        page.locator("main a", has_text=link_text).click()
    path = d.value.path()
    return Path(path).read_bytes()


@pytest.mark.skipif(not DATA_DIR, reason="needs THIDUA_E2E_DATA_DIR (the test command sets it)")
def test_the_whole_year_end(browser: Browser) -> None:
    tag = uuid.uuid4().hex[:6]
    today = vietnam_today()
    name = f"Phong trào thi đua cải cách hành chính {today.year} ({tag})"
    code, holder = nominee_candidate()

    # The reform office launches the movement with its award plan.
    office = as_user(browser, CCHC)
    goto(office, "/awards")
    click_and_wait(office, office.locator("main a", has_text="Phong trào, hồ sơ đề nghị, Hội đồng"))
    office.fill("#f-name", name)
    office.fill("#f-decision_number", f"{tag}/QĐ-UBND")
    office.fill("#f-decision_date", (today - datetime.timedelta(days=90)).isoformat())
    office.fill("#f-starts", (today - datetime.timedelta(days=90)).isoformat())
    office.fill("#f-ends", (today + datetime.timedelta(days=30)).isoformat())
    office.fill("#f-quotas", "BKCT=6, TTLDXS=4")
    click_and_wait(office, office.locator("main form.card button[type=submit]"))
    assert name in main_text(office)
    movement = office.url.split("?")[0]

    # The head of the Department of Home Affairs builds the dossier.
    head = as_user(browser, HEAD)
    goto(head, movement)
    head.select_option("#f-unit", label="Sở Nội vụ")
    click_and_wait(head, head.locator("main form[action$='/nominations'] button"))
    head.select_option("#f-award", "BKCT")
    head.fill("#f-holder", code)
    head.fill("#f-achievements", "Chủ trì số hóa 100% kết quả giải quyết thủ tục hành chính của Sở.")
    head.fill("#f-override_reason", "Sáng kiến đang chờ Hội đồng sáng kiến công nhận")
    click_and_wait(head, head.locator("main form[action$='/nominees'] button"))
    text = main_text(head)
    assert holder in text and OVERALL in text and RULES in text, text[:2000]
    head.fill("#f-letter_number", f"{tag}/TTr-SNV")
    head.fill("#f-letter_date", today.isoformat())
    head.fill("#f-report", "Báo cáo thành tích năm: hoàn thành xuất sắc nhiệm vụ cải cách hành chính.")
    head.fill("#f-council_minutes", "Hội đồng thi đua Sở họp, 7/7 thành viên đồng ý.")
    click_and_wait(head, head.locator("main form.card", has=head.locator("#f-report")).locator("button[type=submit]"))
    click_and_wait(head, head.locator("main form[action$='/submit'] button"))
    assert "Đã gửi" in main_text(head)
    dossier = head.url.split("?")[0]

    # The office receives it, puts it under review and records that the list was posted 15 days ago.
    goto(office, dossier)
    click_and_wait(office, office.locator("main form[action$='/receive'] button"))
    click_and_wait(office, office.locator("main form[action$='/review'] button"))
    assert "Đang thẩm định" in main_text(office)
    goto(office, movement)
    office.fill("#f-comment_from", (today - datetime.timedelta(days=15)).isoformat())
    click_and_wait(office, office.locator("main form[action$='/comment'] button"))

    # A session with the e2e council member only (present): quorum 2/3 of 1.
    office.fill("#f-chair", "Nguyễn Văn Chủ Tịch")
    office.fill("#f-secretary", "Lê Thị Thư Ký")
    for box in office.locator("input[name='members[]']").all():
        row_text = box.locator("xpath=ancestor::tr").inner_text()
        if "Thành viên Hội đồng E2E" not in row_text:
            box.uncheck()
            box.locator("xpath=ancestor::tr").locator("input[name='present[]']").uncheck()
    click_and_wait(office, office.locator("main form[action$='/sessions'] button"))
    session = office.url.split("?")[0]
    assert "Đang bỏ phiếu" in main_text(office)

    # The member votes by secret ballot, once.
    council = as_user(browser, COUNCIL)
    goto(council, session)
    council.locator("fieldset", has_text=holder).get_by_label("Đồng ý", exact=True).check()
    click_and_wait(council, council.locator("main form[action$='/ballot'] button"))
    assert "Không ai, kể cả quản trị viên, xem được bạn đã chọn gì" in main_text(council)
    assert council.locator("main form[action$='/ballot']").count() == 0

    # The office closes the session: the nominee passes; the minutes are a real document.
    goto(office, session)
    click_and_wait(office, office.locator("main form[action$='/close'] button"))
    assert "Kết quả bỏ phiếu" in main_text(office) and "Đạt" in main_text(office)
    minutes = docx_text(download(office, "Tải biên bản họp"))
    assert has(minutes, "BIÊN BẢN") and has(minutes, holder), minutes[:1500]

    # The decision: drafted, read by LibreOffice, recorded as signed, published.
    goto(office, movement)
    click_and_wait(office, office.locator("main form[action$='/decisions'] button"))
    click_and_wait(office, office.locator("main a", has_text="Bằng khen của Chủ tịch UBND tỉnh"))
    draft = docx_text(download(office, "Tải dự thảo quyết định"))
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "QUYẾT ĐỊNH", "/QĐ-UBND", "Nơi nhận:", holder):
        assert has(draft, words), f"{words!r} not in the draft decision: {draft[:1500]}"
    office.fill("#f-number", f"9{tag[:3]}")
    office.fill("#f-signed_on", today.isoformat())
    office.fill("#f-signer", "Trần Văn Bình")
    click_and_wait(office, office.locator("main form[action$='/sign'] button"))
    signed = docx_text(download(office, "Tải quyết định"))
    assert has(signed, f"Số: 9{tag[:3]}/QĐ-UBND") and has(signed, "Trần Văn Bình")
    click_and_wait(office, office.locator("main form[action$='/publish'] button"))
    assert "Đã công khai" in main_text(office)
    click_and_wait(office, office.locator("main a", has_text="In"))
    assert holder in main_text(office)

    # The movement's scoring (ranked per block, each number with its source) and its reviews, on screen and as DOCX.
    goto(office, movement)
    click_and_wait(office, office.locator("main a", has_text="Chấm điểm thi đua"))
    click_and_wait(office, office.locator("main a", has_text="Sửa tiêu chí, thang điểm"))
    assert "parPercent" in office.locator("#f-json").input_value()
    goto(office, movement.split("?")[0] + "/review?kind=midterm")
    assert "Sơ kết phong trào thi đua" in main_text(office) and "KẾT QUẢ CHẤM ĐIỂM THI ĐUA THEO KHỐI, CỤM" in main_text(office)
    review = docx_text(download(office, "Tải báo cáo"))
    assert has(review, "BÁO CÁO") and has(review, "CÔNG TÁC KHEN THƯỞNG")

    # The registry shows the award; the public page the decision.
    goto(office, f"/awards/registry?person={code}")
    assert "Bằng khen của Chủ tịch UBND tỉnh" in main_text(office) and f"9{tag[:3]}" in main_text(office)
    public = new_context(browser).new_page()
    goto(public, "/honours")
    assert f"Quyết định số 9{tag[:3]}/QĐ-UBND" in main_text(public) and holder in main_text(public)
