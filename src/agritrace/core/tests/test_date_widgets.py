"""Edit pages show stored dates and moments in the browser pickers' ISO form, whatever the
language: a localised "2026/12/01" in an ``<input type=date>`` shows an empty picker and the date
is lost on the next save."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from agritrace.conftest import World

PICKERS = re.compile(r'<input type="(date|datetime-local)" name="(\w+)" value="([^"]*)"')


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_edit_pages_fill_their_date_pickers(world: World, language):
    own = world.deps["A"]["own"]
    certification = own["certification"]
    certification.valid_to = dt.date(2027, 6, 30)
    certification.save()
    device = own["device"]
    device.calibrated_on = dt.date(2026, 3, 1)
    device.save()
    seen = 0
    for persona, obj in (
        ("producer_a", own["batch"]),
        ("producer_a", certification),
        ("producer_a", device),
    ):
        client = world.client(persona)
        client.cookies["django_language"] = language
        page = client.get(f"{obj.get_absolute_url()}edit/")
        assert page.status_code == 200, (persona, obj)
        for kind, name, value in PICKERS.findall(page.content.decode()):
            form = r"\d{4}-\d{2}-\d{2}" + (r"T\d{2}:\d{2}" if kind == "datetime-local" else "")
            assert re.fullmatch(form, value), (obj, name, value)
            seen += 1
    assert seen == 3
