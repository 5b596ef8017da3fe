"""Issue 13 in real Chromium: a producer and a county officer log in and land on their home, at
phone (390×844) and desktop (1366×768) sizes; nothing is wider than the screen, the menu opens
behind its toggle on the phone and its groups drop down; in English the desktop menu still
fits one row. Screenshots go to
``ARTIFACTS/homes/``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agritrace.conftest import ARTIFACTS, PASSWORD
from agritrace.dashboard.menu import menu_for

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "desktop": (1366, 768)}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("persona", ["producer_a", "county_a"])
def test_home_fits_phone_and_desktop(transactional_db, world, live_server, chromium, persona):
    shots = ARTIFACTS / "homes"
    shots.mkdir(parents=True, exist_ok=True)
    user = world.users[persona]
    groups = [str(group.label) for group in menu_for(user)]
    for size, (width, height) in SIZES.items():
        context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}{reverse('login')}")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"**{reverse('dashboard:home')}")
            page.wait_for_load_state("load")
            title = page.get_by_test_id("home-title").inner_text()
            assert (user.producer.name if user.producer_id else "安化县") in title
            assert page.evaluate(OVERFLOW) <= 0, f"{persona} {size}: wider than the screen"
            page.screenshot(path=str(shots / f"{persona}-{size}.png"), full_page=True)

            menu = page.get_by_test_id("menu")
            if size == "phone":
                assert not menu.is_visible()  # collapsed behind the toggle
                page.get_by_test_id("menu-toggle").click()
                page.wait_for_selector("#main-menu.collapse.show")  # opened, not opening
            page.locator(".main-menu .dropdown-toggle", has_text=groups[0]).click()
            first = menu_for(user)[0].entries[0]
            item = page.locator(f'.dropdown-menu a[href="{first.url}"]')
            item.wait_for(state="visible")
            box = item.bounding_box()
            assert box is not None and box["height"] >= (40 if size == "phone" else 20)
            assert page.evaluate(OVERFLOW) <= 0, f"{persona} {size}: open menu too wide"
            page.screenshot(path=str(shots / f"{persona}-{size}-menu.png"), full_page=True)
            item.click()
            page.wait_for_load_state("load")
            assert not page.url.endswith(reverse("dashboard:home"))  # the entry took us there
            if size == "desktop":  # English labels are longer: the menu still fits one row
                page.goto(f"{live_server.url}{reverse('dashboard:home')}")
                page.get_by_test_id("whoami").click()
                page.click("button[name=language][value=en]")
                page.wait_for_selector("html[lang=en]")
                page.screenshot(path=str(shots / f"{persona}-{size}-en.png"), full_page=True)
                assert page.evaluate(OVERFLOW) <= 0
                assert page.locator("header.navbar").bounding_box()["height"] < 80
        finally:
            context.close()
