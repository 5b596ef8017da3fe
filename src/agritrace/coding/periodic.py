"""The coding app's periodic checks (``agritrace.core.periodic``)."""

from __future__ import annotations

import datetime as dt

from agritrace.coding.services import idcards
from agritrace.core.periodic import periodic


@periodic("coding.id_cards", every=dt.timedelta(days=1))
def check_id_cards() -> int:
    """Products that must carry the ID card and have none raise a warning; it closes once they
    have one (2020 spec Art. 13)."""
    return idcards.check_id_cards()
