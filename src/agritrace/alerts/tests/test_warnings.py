"""Warnings and follow-ups in their own app: raised once per subject and kind, closed when the
cause goes away, handled on their pages (same paths as before the move) and through the API."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from agritrace.alerts import services
from agritrace.alerts.models import FollowUp, FollowUpStatus, Warning, WarningStatus
from agritrace.conftest import World


def own(world: World, name: str, place: str = "A") -> object:
    return world.deps[place]["own"][name]


def last_message(response: object) -> str:
    """The message the request added (earlier ones wait, unread, in the cookie)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_paths_and_api_routes_are_those_of_before_the_move(world: World):
    warning, follow_up = own(world, "warning"), own(world, "followup")
    assert reverse("alerts:warning_list") == "/warnings/"
    assert warning.get_absolute_url() == f"/warnings/{warning.pk}/"
    assert reverse("alerts:warning_handle", args=[warning.pk]) == f"/warnings/{warning.pk}/handle/"
    assert reverse("alerts:followup_list") == "/follow-ups/"
    assert follow_up.get_absolute_url() == f"/follow-ups/{follow_up.pk}/"
    assert reverse("alerts:followup_close", args=[follow_up.pk]).endswith("/close/")
    listed = world.api("township").get("/api/v1/follow-ups/").json()["results"]
    assert [row["id"] for row in listed] == [follow_up.pk]


def test_raising_again_refreshes_the_unclosed_warning_and_closing_ends_it(world: World):
    warning = own(world, "warning")
    subject, township = warning.subject, world.regions["A"]
    again = services.raise_warning(
        warning.kind, subject, region=township, title="示例新标题", severity="critical"
    )
    assert again.pk == warning.pk and (again.title, again.severity) == ("示例新标题", "critical")
    assert services.close_warnings(warning.kind, subject, "示例：原因已消除") == 1
    assert services.close_warnings(warning.kind, subject, "示例：原因已消除") == 0
    fresh = services.raise_warning(warning.kind, subject, region=township, title="示例再次")
    assert fresh.pk != warning.pk
    assert Warning.objects.filter(kind=warning.kind, subject_id=str(subject.pk)).count() == 2


def test_a_regulator_acknowledges_then_closes_a_warning_on_its_page(world: World):
    warning = own(world, "warning")
    url = reverse("alerts:warning_handle", args=[warning.pk])
    client = world.client("township")
    page = client.get(warning.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page
    response = client.post(url, {"to": "acknowledged"})
    assert response.status_code == 302 and response["Location"] == warning.get_absolute_url()
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED
    refused = client.post(url, {"to": "closed", "note": " "})
    assert last_message(refused) == "关闭预警须写明处理意见"
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED
    client.post(url, {"to": "closed", "note": "示例：已现场核查"})
    warning.refresh_from_db()
    assert (warning.status, warning.handling_note) == (WarningStatus.CLOSED, "示例：已现场核查")
    assert warning.handled_by == world.users["township"]


def test_only_regulators_in_scope_handle_a_warning(world: World):
    warning = own(world, "warning")
    url = reverse("alerts:warning_handle", args=[warning.pk])
    assert world.client("producer_a").post(url, {"to": "acknowledged"}).status_code == 403
    assert world.client("county_b").post(url, {"to": "acknowledged"}).status_code == 404
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN


def test_a_follow_up_is_closed_with_its_resolution_once(world: World):
    follow_up = own(world, "followup")
    url = reverse("alerts:followup_close", args=[follow_up.pk])
    client = world.client("county_a")
    assert last_message(client.post(url, {"resolution": ""})) == "须填写办理结果"
    client.post(url, {"resolution": "示例：已整改"})
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.resolution) == (FollowUpStatus.CLOSED, "示例：已整改")
    assert last_message(client.post(url, {"resolution": "示例：再次"})) == "该事项已办结"
    assert FollowUp.objects.get(pk=follow_up.pk).resolution == "示例：已整改"
    assert world.client("county_b").post(url, {"resolution": "x"}).status_code == 404


def test_an_unknown_handling_or_an_overlong_note_is_a_message_not_a_change(world: World):
    warning = own(world, "warning")
    url = reverse("alerts:warning_handle", args=[warning.pk])
    client = world.client("township")
    for body in ({"to": "bogus"}, {"to": "closed", "note": "长" * 501}, {}):
        response = client.post(url, body, follow=True)
        assert response.status_code == 200, body
        assert [m.level_tag for m in response.context["messages"]] == ["error"], body
    said = [
        str(m)
        for m in client.post(url, {"to": "closed", "note": "长" * 501}, follow=True).context[
            "messages"
        ]
    ]
    assert said == ["处理意见：确保该变量包含不超过 500 字符 (目前字符数 501)。"]
    warning.refresh_from_db()
    assert (warning.status, warning.handling_note) == (WarningStatus.OPEN, "")


def test_a_warning_page_leads_to_its_subject_for_whoever_may_see_it(world: World):
    warning = own(world, "warning")
    certification = warning.subject
    for persona in ("township", "county_a", "producer_a"):
        page = world.client(persona).get(warning.get_absolute_url()).content.decode()
        assert f'href="{certification.get_absolute_url()}" data-testid="subject"' in page, persona
    english = world.client("county_a")
    english.cookies["django_language"] = "en"
    assert "See what it is about" in english.get(warning.get_absolute_url()).content.decode()


def test_short_cells_of_the_warnings_table_do_not_wrap(world: World):
    """The severity "严重" and the status "待处理" were squeezed one character per line on a
    phone: a short cell (a severity, a status, a kind) never wraps, a long one still does."""
    import re

    warning = own(world, "warning")
    services.raise_warning(
        warning.kind,
        warning.subject,
        region=world.regions["A"],
        title="示例：一个很长的预警标题，需要在窄屏上换行显示完整内容",
        severity="critical",
    )
    page = world.client("county_a").get("/warnings/").content.decode()
    cells = dict(
        (re.sub(r"<[^>]+>", "", text).strip(), attrs)
        for attrs, text in re.findall(r"<td([^>]*)>(.*?)</td>", page, re.S)
    )
    assert 'class="text-nowrap"' in cells["严重"]
    assert 'class="text-nowrap"' in cells["待处理"]
    assert "text-nowrap" not in cells["示例：一个很长的预警标题，需要在窄屏上换行显示完整内容"]
