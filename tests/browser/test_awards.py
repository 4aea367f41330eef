"""Titles and awards in a real browser (issue 8, first part): the reform office reads the catalogue with its rules
and checks a person's eligibility rule by rule. Every page gets the axe check."""

from __future__ import annotations

from playwright.sync_api import Page

from conftest import CCHC, click_and_wait, goto, login, main_text


def test_catalogue_and_eligibility_check(page: Page) -> None:
    login(page, *CCHC)
    goto(page, "/awards")
    text = main_text(page)
    assert "Chiến sĩ thi đua cấp tỉnh" in text and "3 năm liên tục đạt danh hiệu CSTDCS" in text
    click_and_wait(page, page.locator("main a", has_text="Kiểm tra điều kiện xét tặng"))
    page.fill("#f-person", "CB0007")
    page.select_option("#f-award", "BKCT")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    text = main_text(page)
    assert "Kết luận" in text and ("Đạt" in text or "Không đạt" in text or "Cần xác nhận" in text)
    # The catalogue's editor, as the office sees it.
    goto(page, "/awards/catalogue")
    assert "CSTDT" in page.locator("#f-json").input_value()


def test_registry_follows_a_unit_through_its_merger(page: Page) -> None:
    login(page, *CCHC)
    goto(page, "/awards/registry?unit=XTP")
    text = main_text(page)
    # Xã Tân Phong was formed on 01/07/2025 from Xã Tân Lập, Xã Phong Thủy and Xã Phong Mỹ: their awards follow it.
    assert "Tập thể lao động xuất sắc" in text and "Xã Tân Lập" in text
