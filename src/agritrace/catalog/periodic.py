"""The catalogue's periodic checks (``agritrace.core.periodic``)."""

from __future__ import annotations

import datetime as dt

from agritrace.catalog import services
from agritrace.core.periodic import periodic


@periodic("catalog.certifications", every=dt.timedelta(days=1))
def check_certifications() -> int:
    """Certifications expiring within 30 days or expired raise a warning; renewed ones close it
    (2020 spec Art. 7, 17)."""
    return services.check_certifications()
