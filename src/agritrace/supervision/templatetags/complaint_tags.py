"""What the viewing regulator may see and do on a complaint's page."""

from __future__ import annotations

from typing import Any

from django import template

from agritrace.core import scoping
from agritrace.supervision.models import Complaint

register = template.Library()


@register.simple_tag
def complaint_access(complaint: Complaint, user: Any) -> dict[str, Any]:
    """``phone`` (masked unless the user may handle it) and ``can_handle``."""
    return {
        "phone": scoping.contact_phone_for(user, complaint),
        "can_handle": not complaint.is_closed and scoping.in_scope(user, complaint, "change"),
    }
