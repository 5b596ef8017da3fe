"""Catalogue rules: certification validity warnings, "produces to standard"."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.alerts.models import Severity, WarningKind
from agritrace.alerts.services import close_warnings, raise_warning, unclosed_subjects
from agritrace.catalog.choices import Validity
from agritrace.catalog.models import EXPIRY_WARNING_DAYS, Certification, Product

#: The warnings a certification's validity raises.
EXPIRY_KINDS = [WarningKind.CERTIFICATION_EXPIRING, WarningKind.CERTIFICATION_EXPIRED]


def refresh_certification_warning(
    certification: Certification, today: dt.date | None = None
) -> None:
    """Expiring within 30 days or expired raises a warning for the producer's regulators (and
    the producer); a renewed certification closes it (2020 spec Art. 7, 17)."""
    validity = certification.validity(today)
    producer = certification.producer
    label = str(certification)
    if validity == Validity.EXPIRED:
        close_warnings(WarningKind.CERTIFICATION_EXPIRING, certification, _("已过期"))
        raise_warning(
            WarningKind.CERTIFICATION_EXPIRED,
            certification,
            region=producer.township,
            producer=producer,
            severity=Severity.CRITICAL,
            title=_("%(producer)s 的%(cert)s已于 %(date)s 过期")
            % {"producer": producer.name, "cert": label, "date": certification.valid_to},
        )
    elif validity == Validity.EXPIRING:
        raise_warning(
            WarningKind.CERTIFICATION_EXPIRING,
            certification,
            region=producer.township,
            producer=producer,
            title=_("%(producer)s 的%(cert)s将于 %(date)s 到期")
            % {"producer": producer.name, "cert": label, "date": certification.valid_to},
        )
    else:
        for kind in EXPIRY_KINDS:
            close_warnings(kind, certification, _("证书已续期"))


def check_certifications(today: dt.date | None = None) -> int:
    """The daily check: every certification expiring within 30 days or expired (and every one
    that has an unclosed warning) gets its warning refreshed. Returns how many were checked."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    flagged = Certification.objects.filter(
        Q(valid_to__lte=horizon) | Q(pk__in=unclosed_subjects(Certification, EXPIRY_KINDS))
    ).select_related("producer__township")
    count = 0
    for certification in flagged:
        refresh_certification_warning(certification, today)
        count += 1
    return count


def produces_to_standard(product: Product) -> bool:
    """A product "produces to standard" when it has an execution standard and its producer has
    held standard training (2021 Annex 2: 产品有标准……开展标准培训并按标生产)."""
    return product.standards.exists() and product.producer.training_sessions.exists()
