"""Login records, lockout after repeated failures, idle timeout, monthly activity."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agritrace.accounts.models import LoginEvent
from agritrace.accounts.services import activity_points, monthly_logins
from agritrace.conftest import PASSWORD, World


def test_success_and_failure_are_recorded_with_source(world: World, client):
    client.post(
        reverse("login"),
        {"username": "p_city", "password": "wrong-password-x"},
        REMOTE_ADDR="10.1.2.3",
    )
    client.post(
        reverse("login"), {"username": "p_city", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    events = list(LoginEvent.objects.filter(username="p_city").order_by("id"))
    assert [e.success for e in events] == [False, True]
    assert all(e.remote_addr == "10.1.2.3" and e.user == world.users["city"] for e in events)


def test_lockout_is_keyed_on_username_and_ip(world: World, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "p_city", "password": "nope-nope-1"},
            REMOTE_ADDR="10.9.9.9",
        )
    locked = client.post(
        reverse("login"), {"username": "p_city", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert locked.status_code == 429
    other_ip = client.post(
        reverse("login"), {"username": "p_city", "password": PASSWORD}, REMOTE_ADDR="10.9.9.8"
    )
    assert other_ip.status_code == 302


def test_idle_sessions_expire():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_monthly_login_counts_and_points(world: World):
    user = world.users["county_a"]
    now = timezone.localtime()
    for _ in range(5):
        LoginEvent.objects.create(user=user, username=user.username, success=True)
    LoginEvent.objects.create(user=user, username=user.username, success=False)
    counts = monthly_logins([user.pk, world.users["city"].pk], now.year, now.month)
    assert counts == {user.pk: 5, world.users["city"].pk: 0}
    last_month = now.replace(day=1) - dt.timedelta(days=1)
    assert monthly_logins([user.pk], last_month.year, last_month.month) == {user.pk: 0}
    assert [activity_points(n) for n in (0, 1, 4, 5)] == [0.0, 0.5, 0.5, 1.0]
