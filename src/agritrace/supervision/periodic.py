"""Supervision's periodic checks (``agritrace.core.periodic``)."""

from __future__ import annotations

import datetime as dt

from agritrace.core.periodic import periodic
from agritrace.supervision import services


@periodic("supervision.complaints", every=dt.timedelta(days=1))
def check_complaints() -> int:
    """Complaints still open after their deadline raise a warning (2020 spec Art. 23)."""
    return services.check_complaints()
