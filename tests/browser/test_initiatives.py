"""Initiatives in a real browser (issue 7): an officer submits an initiative, two reviewers score it blind, the
council recognises it at province level, another unit records adopting it, and the public library shows it with
its adopter. Every page gets the axe check."""

from __future__ import annotations

import uuid

from playwright.sync_api import Browser, Page

from conftest import APPRAISER, CCHC, COUNCIL, OFFICER, check_a11y, click_and_wait, goto, login, main_text, new_context

COMMUNE = ("e2e.xa", "E2e-Xa-2026")


def as_user(browser: Browser, user: tuple[str, str]) -> Page:
    page = new_context(browser).new_page()
    login(page, *user)
    return page


def test_submit_review_blind_recognise_adopt_and_publish(browser: Browser) -> None:
    tag = uuid.uuid4().hex[:6]
    title = f"Tra cứu hồ sơ bằng mã QR {tag}"
    period = f"Đợt kiểm thử trình duyệt {tag}"

    # The reform office opens a blind review period.
    office = as_user(browser, CCHC)
    goto(office, "/initiatives/periods")
    office.fill("#f-name", period)
    office.check("input[name=blind]")
    click_and_wait(office, office.locator("main form.card button[type=submit]"))
    assert period in main_text(office)

    # An officer of the Department of Home Affairs writes it: shares not adding to 100 are refused, then corrected.
    officer = as_user(browser, OFFICER)
    goto(officer, "/initiatives/new")
    officer.fill("#f-title", title)
    officer.select_option("#f-type", "applied_technology")
    officer.select_option("#f-area", "2")
    officer.select_option("#f-unit_id", label="Sở Nội vụ")
    names = officer.locator("input[name='author_name[]']")
    shares = officer.locator("input[name='author_share[]']")
    names.nth(0).fill("Nguyễn Thị Kiểm Thử")
    shares.nth(0).fill("70")
    names.nth(1).fill("Trần Văn Ngoài Danh Bạ")
    shares.nth(1).fill("20")
    officer.fill("#f-problem", "Người dân phải đến hỏi tình trạng hồ sơ.")
    officer.fill("#f-solution", "In mã QR trên giấy hẹn; quét mã để xem tình trạng.")
    officer.fill("#f-novelty", "Chưa đơn vị nào trong tỉnh áp dụng.")
    officer.fill("#f-applied_where", "Bộ phận một cửa")
    officer.fill("#f-applied_since", "01/03/2026")
    officer.fill("#f-hours_saved", "500")
    officer.fill("#f-replicability", "Mọi bộ phận một cửa.")
    click_and_wait(officer, officer.locator("main form.card button[type=submit]"), status=422)
    assert "phải cộng lại đúng 100 %" in main_text(officer)
    officer.locator("input[name='author_share[]']").nth(1).fill("30")
    click_and_wait(officer, officer.locator("main form.card button[type=submit]"))
    assert "ngoài danh bạ" in main_text(officer)
    click_and_wait(officer, officer.locator("main form[action$='/submit'] button"))
    assert "Đã nộp" in main_text(officer)
    initiative_path = "/initiatives/" + officer.url.split("/initiatives/")[1].split("?")[0]

    # The office assigns the two reviewers and opens the review phase.
    goto(office, initiative_path)
    for who in ("Thẩm định viên E2E", "Thành viên Hội đồng E2E"):
        office.select_option("#f-user_id", label=who)
        click_and_wait(office, office.locator("main form[action$='/reviewers'] button"))
    goto(office, "/initiatives/periods")
    row = office.locator("main tr", has_text=period)
    click_and_wait(office, row.locator("button"))

    # Two reviewers score it blind: neither the authors nor the unit are shown to them.
    for user, effectiveness in ((APPRAISER, "28"), (COUNCIL, "24")):
        reviewer = as_user(browser, user)
        goto(reviewer, initiative_path)
        text = main_text(reviewer)
        assert "chấm kín" in text and "Nguyễn Thị Kiểm Thử" not in text and "Sở Nội vụ" not in text
        click_and_wait(reviewer, reviewer.locator("main a", has_text="Chấm điểm sáng kiến"))
        reviewer.fill("#f-score_novelty", "26")
        reviewer.fill("#f-score_applicability", "22")
        reviewer.fill("#f-score_effectiveness", effectiveness)
        reviewer.fill("#f-score_replicability", "12")
        reviewer.fill("#f-comment", "Giải pháp thiết thực.")
        click_and_wait(reviewer, reviewer.locator("main form.card button[type=submit]"))
        reviewer.context.close()

    # Decision phase: the council sees the panel and recognises it at province level.
    goto(office, "/initiatives/periods")
    click_and_wait(office, office.locator("main tr", has_text=period).locator("button"))
    council = as_user(browser, COUNCIL)
    goto(council, initiative_path)
    assert "Điểm trung bình" in main_text(council)
    council.select_option("#f-outcome", "recognised")
    council.select_option("#f-level", "province")
    council.fill("#f-decision_number", f"99/QĐ-HĐSK-{tag}")
    council.fill("#f-decision_date", "20/11/2026")
    council.fill("#f-decision_signer", "Chủ tịch Hội đồng")
    click_and_wait(council, council.locator("main form[action$='/decision'] button[type=submit]"))
    assert "Cấp tỉnh" in main_text(council)

    # Another unit records adopting it.
    commune = as_user(browser, COMMUNE)
    goto(commune, initiative_path)
    commune.fill("#f-adopted_on", "25/11/2026")
    commune.fill("#f-effect", "Giảm một nửa số lượt hỏi tình trạng hồ sơ.")
    commune.fill("#f-dossiers", "900")
    click_and_wait(commune, commune.locator("main form[action$='/adoptions'] button[type=submit]"))
    assert "Xã Tân Phong" in main_text(commune)

    # The office's lists: the period's initiatives, and which recognised ones spread.
    goto(office, "/initiatives")
    assert "Sáng kiến" in main_text(office)
    goto(office, "/initiatives/spread")
    assert title in main_text(office)

    # The public library, without signing in, finds it without diacritics and shows the adopter.
    public = new_context(browser).new_page()
    goto(public, "/library?q=tra+cuu+ma+qr+" + tag)
    text = main_text(public)
    assert title in text and "Xã Tân Phong" in text
    click_and_wait(public, public.locator("main a", has_text=title))
    assert "Nguyễn Thị Kiểm Thử" in main_text(public)
    check_a11y(public)
