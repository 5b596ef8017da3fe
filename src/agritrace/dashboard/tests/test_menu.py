"""Issue 13, navigation by task: the menu is grouped, and shows a persona exactly the pages its
role may open (every shown entry answers 200, every entry hidden for want of a grant 403)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agritrace.dashboard.menu import MENU, PRODUCERS, menu_for

PERSONAS = ("province", "city", "county_a", "county_b", "township", "producer_a")


def labels(world, persona: str) -> dict[str, list[str]]:
    user = world.users[persona]
    return {str(g.label): [str(e.label) for e in g.entries] for g in menu_for(user)}


def test_groups_by_task(world):
    assert list(labels(world, "county_a")) == [
        "主体与基地",
        "生产",
        "检测",
        "赋码与合格证",
        "监管",
        "数据与设置",
    ]


def test_producer_menu(world):
    menu = labels(world, "producer_a")
    entries = [label for group in menu.values() for label in group]
    assert "本主体" in entries and "生产经营主体" not in entries
    assert "投诉举报" not in entries  # producers never see complaints
    assert "机构" not in entries
    assert "用户" in entries  # the owner manages its people


def test_regulator_menus(world):
    county = [label for group in labels(world, "county_a").values() for label in group]
    township = [label for group in labels(world, "township").values() for label in group]
    assert "生产经营主体" in county and "本主体" not in county
    assert "投诉举报" in county and "投诉举报" in township
    assert "用户" in county  # an administrator
    assert "用户" not in township  # an officer


@pytest.mark.parametrize("persona", PERSONAS)
def test_shown_entries_open_and_hidden_ones_are_refused(world, persona):
    user = world.users[persona]
    client = world.client(persona)
    shown = {entry for group in menu_for(user) for entry in group.entries}
    for entry in shown:
        assert client.get(entry.url).status_code in (200, 302), entry.url
    refused = [
        entry
        for group in MENU
        for entry in group.entries
        if entry not in shown
        and entry.test is None
        and (entry.who == PRODUCERS) == bool(user.producer_id)
    ]
    for entry in refused:
        assert client.get(entry.url).status_code == 403, entry.url


@pytest.mark.parametrize("persona", ["producer_a", "township"])
def test_every_page_shows_the_menu(world, persona):
    user = world.users[persona]
    page = world.client(persona).get(reverse("production:batch_list")).content.decode()
    assert 'data-testid="menu-toggle"' in page
    for group in menu_for(user):
        assert f">{group.label}</a>" in page
        for entry in group.entries:
            assert f'href="{entry.url}"' in page
    current = [g for g in menu_for(user, "production:batch_detail") if g.current]
    assert [str(g.label) for g in current] == ["生产"]


def test_anonymous_pages_have_no_menu(world):
    page = world.client("anonymous").get(reverse("login")).content.decode()
    assert 'data-testid="menu"' not in page
