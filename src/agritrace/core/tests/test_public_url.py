"""One public base URL (issue 11, point 4): every absolute URL the platform prints comes from
``AGRITRACE_PUBLIC_BASE_URL`` through ``core.urls.public_url``; ``agritrace demo --host H
--port N`` sets it to ``http://H:N`` before the settings load, refuses to run when it would
print another address (the demo cameras' move: ``video/tests/test_demo.py``)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from agritrace import cli
from agritrace.coding.choices import OutputFormat
from agritrace.coding.models import LabelLayout, PrintJob
from agritrace.coding.services import links, minting, printing
from agritrace.core.urls import public_url
from agritrace.producers import services as producers
from agritrace.supervision.models import Complaint, ComplaintPhoto

BASE = "https://trace.example.org/hunan"


def test_public_url_joins_the_setting_and_an_absolute_path(settings):
    settings.PUBLIC_BASE_URL = BASE
    assert public_url("/t/ABC") == f"{BASE}/t/ABC"
    with pytest.raises(ValueError, match="absolute path"):
        public_url("t/ABC")


def test_every_printed_link_follows_the_setting(world, settings, tmp_path):
    settings.PUBLIC_BASE_URL = BASE
    settings.MEDIA_ROOT = tmp_path
    producer = world.producers["A"]
    roll = minting.request_mint(producer, 2, batch=world.deps["A"]["batch"])
    code = roll.codes.order_by("serial").first().code
    assert links.code_url(code) == f"{BASE}/t/{code}"
    assert links.certificate_url("HN0001") == f"{BASE}/c/HN0001"
    assert links.digital_link("6901234567892", "20260101-001", code).startswith(f"{BASE}/01/")
    assert producers.identity_url(producer) == f"{BASE}/p/{producer.identity_code}"

    printing.sync_presets()
    job = printing.request_print(
        PrintJob(
            roll=roll, first_serial=1, last_serial=2, output=OutputFormat.PDF_ROLL, dpi=203,
            layout=LabelLayout.objects.get(producer=None, name="50x30"),
        )
    )  # fmt: skip
    listed = world.api("producer_a").get(f"/api/v1/print-jobs/{job.pk}/").json()
    assert listed["download"] == f"{BASE}/api/v1/print-jobs/{job.pk}/download/"

    complaint = Complaint.objects.create(
        number="0000000000A",
        category="other",
        description="示例",
        county=world.regions["county_a"],
        due_on=dt.date(2026, 12, 31),
    )
    photo = ComplaintPhoto.objects.create(
        complaint=complaint, image=ContentFile(b"x", name="p.jpg"), width=1, height=1
    )
    found = world.api("county_a").get(f"/api/v1/complaints/{complaint.pk}/").json()
    path = reverse("supervision:complaint_photo", args=[complaint.pk, photo.pk])
    assert found["photos"] == [BASE + path]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["demo", "--port", "8765"], "http://127.0.0.1:8765"),
        (["demo", "--no-serve", "--port=9001", "--host", "localhost"], "http://localhost:9001"),
        (["demo", "--host", "0.0.0.0", "--port", "8080"], "http://127.0.0.1:8080"),
        (["demo", "--host", "::", "--port", "8080"], "http://[::1]:8080"),
        (["demo"], "http://127.0.0.1:8000"),
        (["demo", "--port", "x"], None),  # left for the command to refuse
        (["demo", "--port", "0"], None),
        (["migrate", "--port", "8765"], None),
    ],
)
def test_cli_sets_the_base_url_of_a_demo_before_the_settings_load(monkeypatch, argv, expected):
    monkeypatch.delenv("AGRITRACE_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("AGRITRACE_PUBLIC_BASE_URL_FILE", raising=False)
    cli.demo_environment(argv)
    assert os.environ.get("AGRITRACE_PUBLIC_BASE_URL") == expected


def test_cli_keeps_a_base_url_given_explicitly(monkeypatch):
    monkeypatch.setenv("AGRITRACE_PUBLIC_BASE_URL", BASE)
    cli.demo_environment(["demo", "--port", "8765"])
    assert os.environ["AGRITRACE_PUBLIC_BASE_URL"] == BASE


def test_demo_refuses_to_print_another_address_than_it_serves(db, monkeypatch):
    monkeypatch.delenv("AGRITRACE_PUBLIC_BASE_URL", raising=False)
    with pytest.raises(CommandError, match=r"would serve on http://127\.0\.0\.1:8765 but print"):
        call_command("demo", "--no-serve", "--port", "8765")
