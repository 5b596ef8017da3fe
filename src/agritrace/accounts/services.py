"""Account rules: login records and activity counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from agritrace.accounts.models import LoginEvent


def record_login(request: HttpRequest | None, username: str, *, user: Any, success: bool) -> None:
    """One LoginEvent per attempt; a failed attempt for a known username is tied to its user."""
    meta = request.META if request is not None else {}
    if user is None and username:
        user = get_user_model().objects.filter(username=username).first()
    LoginEvent.objects.create(
        user=user,
        username=username,
        success=success,
        remote_addr=meta.get("REMOTE_ADDR") or None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:300],
        channel="api" if request is not None and request.path.startswith("/api/") else "web",
    )


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of a calendar month in the platform's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def monthly_logins(user_ids: list[int], year: int, month: int) -> dict[int, int]:
    """Successful logins per user in a month (2021 notice Annex 2, 身份证制度保障体系:
    "账户活跃每月登录5次以上计1分、1次以上计0.5分")."""
    start, end = month_bounds(year, month)
    rows = (
        LoginEvent.objects.filter(user_id__in=user_ids, success=True, time__gte=start, time__lt=end)
        .values("user_id")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(user_ids, 0)
    counts.update({row["user_id"]: row["n"] for row in rows})
    return counts


def activity_points(logins_in_month: int) -> float:
    """The sheet's points for one month's logins: ≥5 → 1, ≥1 → 0.5, else 0."""
    if logins_in_month >= 5:
        return 1.0
    return 0.5 if logins_in_month >= 1 else 0.0
