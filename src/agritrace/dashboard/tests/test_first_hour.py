"""Issue 13, "done when", in real Chromium on a phone (390×844): a producer goes from login to
printed labels using only the home page and the batch's guided flow, and a county officer goes
from login to the subject of a warning. No URL is typed after the login page; each step is a
click on what the page offers. Screenshots of every step go to ``ARTIFACTS/first-hour/``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agritrace.coding.models import Certificate, PrintJob, TraceCode
from agritrace.coding.services import printing
from agritrace.conftest import ARTIFACTS, PASSWORD
from agritrace.production.models import Batch
from agritrace.testing.models import TestRecord

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "first-hour"


def log_in(chromium, live_server, username: str):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{reverse('dashboard:home')}")
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def save(page) -> None:
    """Submit the page's form and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator("form.card button[type=submit], form.card .btn-primary").last.click()
    page.wait_for_load_state("load")


def test_a_producer_goes_from_login_to_printed_labels(
    transactional_db, world, live_server, chromium
):
    printing.sync_presets()  # as after ``migrate``; the test database was flushed
    producer = world.producers["A"]
    base = world.deps["A"]["base"]
    product = world.deps["A"]["product"]
    page = log_in(chromium, live_server, world.users["producer_a"].username)
    shot(page, "producer-1-home")

    page.get_by_test_id("actions").get_by_role("link", name="采收/出栏").click()
    page.select_option("select[name=base]", str(base.pk))
    page.select_option("select[name=product]", str(product.pk))
    page.fill("input[name=produced_on]", f"{timezone.localdate() - dt.timedelta(days=1)}")
    page.fill("input[name=quantity]", "500")
    save(page)
    batch = Batch.objects.filter(producer=producer).latest("id")
    assert page.url.endswith(batch.get_absolute_url())
    assert not page.get_by_test_id("do-labels").is_enabled()  # no codes yet, and it says so
    assert "请先生成追溯码" in page.get_by_test_id("reason-labels").inner_text()
    shot(page, "producer-2-batch")

    page.get_by_test_id("do-test").click()
    page.fill("input[name=item]", "有机磷和氨基甲酸酯类农药")
    page.select_option("select[name=method]", "enzyme")
    page.fill("input[name=inhibition_rate]", "12")  # below 50 %: negative, by the rule
    page.fill("input[name=tested_at]", f"{timezone.localtime():%Y-%m-%dT%H:%M}")
    shot(page, "producer-3-test-form")
    save(page)
    assert page.url.endswith(batch.get_absolute_url()), "the test form comes back to the batch"
    assert TestRecord.objects.filter(batch=batch, result="negative").exists()

    page.get_by_test_id("do-certificate").click()
    shot(page, "producer-4-certificate-form")
    for box in ("no_prohibited", "within_limits", "responsible"):
        page.check(f"input[name={box}]")
    page.fill("input[name=signatory]", "示例签名")
    save(page)
    assert page.url.endswith(batch.get_absolute_url())
    assert Certificate.objects.filter(batch=batch, voided=False).exists()

    page.get_by_test_id("do-codes").click()
    page.fill("input[name=count]", "20")
    save(page)
    assert page.url.endswith(batch.get_absolute_url())
    assert TraceCode.objects.filter(batch=batch).count() == 20
    shot(page, "producer-5-batch-with-codes")

    page.get_by_test_id("do-labels").click()
    shot(page, "producer-6-print-form")
    save(page)
    job = PrintJob.objects.get(roll__batch=batch)
    assert page.url.endswith(job.get_absolute_url())
    assert job.status == "done" and job.count == 20
    with page.expect_download() as download:
        page.get_by_role("link", name="下载").first.click()
    assert download.value.suggested_filename
    shot(page, "producer-6-labels")


def test_a_county_officer_goes_from_login_to_what_a_warning_is_about(
    transactional_db, world, live_server, chromium
):
    warning = world.deps["A"]["own"]["warning"]
    page = log_in(chromium, live_server, world.users["county_a"].username)
    shot(page, "officer-1-home")
    page.get_by_test_id("today-warning").get_by_role("link", name=warning.title).click()
    page.wait_for_url(f"**{warning.get_absolute_url()}")
    shot(page, "officer-2-warning")
    page.get_by_test_id("subject").click()
    page.wait_for_url(f"**{warning.subject.get_absolute_url()}")
    assert warning.subject.number in page.content()
    shot(page, "officer-3-subject")
