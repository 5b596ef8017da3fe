"""Catalogue rules: certification validity and its warnings, the products that must carry the
ID card (Art. 13) and the warning when one does not, "produces to standard"."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.alerts.models import Severity, WarningKind
from agritrace.alerts.services import close_warnings, raise_warning, unclosed_subjects
from agritrace.catalog.choices import ENTERPRISE_WIDE, ID_CARD_REQUIRED, Validity
from agritrace.catalog.models import EXPIRY_WARNING_DAYS, Certification, Product
from agritrace.coding.choices import CodeStatus

#: The warnings a certification's validity raises.
EXPIRY_KINDS = [WarningKind.CERTIFICATION_EXPIRING, WarningKind.CERTIFICATION_EXPIRED]


def validity_q(validity: str, today: dt.date | None = None) -> Q:
    """The certifications of ``validity`` on ``today``, as a filter (the same rule as
    :meth:`Certification.validity`)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return {
        Validity.EXPIRED: Q(valid_to__lt=today),
        Validity.EXPIRING: Q(valid_to__gte=today, valid_to__lte=horizon),
        Validity.NOT_YET: Q(valid_from__gt=today),
        Validity.VALID: (Q(valid_to__isnull=True) | Q(valid_to__gt=horizon))
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=today)),
    }[validity]


def in_force_q(today: dt.date | None = None) -> Q:
    """Certifications in force on ``today``: valid, or valid and expiring soon."""
    return validity_q(Validity.VALID, today) | validity_q(Validity.EXPIRING, today)


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


# "身份证" management (2020 spec Art. 13) -------------------------------------------------------


def with_id_card(products: QuerySet[Product], today: dt.date | None = None) -> QuerySet[Product]:
    """``products`` with ``id_card_required`` and ``has_id_card``, and their grounds.

    A product must carry the ID card (Art. 13 "全面实行农产品‘身份证’管理和‘一品一码’赋码标
    识") when a certification or brand in force covers it (:data:`ID_CARD_REQUIRED`: brands,
    green, organic and GI products, registered trademarks), or when its producer is a
    provincial or national leading enterprise (:data:`ENTERPRISE_WIDE`). It has one when an
    active trace code is bound to one of its batches: that code's page (``/t/<code>``) is its
    ID card. ``id_card_grounds`` (on the product) and ``enterprise_grounds`` (on its producer)
    list the certifications that require it (see :func:`id_card_grounds`)."""
    in_force = Certification.objects.filter(in_force_q(today), kind__in=ID_CARD_REQUIRED)
    enterprise = in_force.filter(kind__in=ENTERPRISE_WIDE)
    return products.annotate(
        id_card_required=Exists(in_force.filter(products=OuterRef("pk")))
        | Exists(enterprise.filter(producer=OuterRef("producer_id"))),
        has_id_card=Exists(
            Product.objects.filter(
                pk=OuterRef("pk"), batches__trace_codes__status=CodeStatus.ACTIVE
            )
        ),
    ).prefetch_related(
        Prefetch("certifications", queryset=in_force, to_attr="id_card_grounds"),
        Prefetch("producer__certifications", queryset=enterprise, to_attr="enterprise_grounds"),
    )


def id_card_grounds(product: Product) -> list[Certification]:
    """The certifications in force that require ``product`` to carry the ID card (a product
    from :func:`with_id_card`)."""
    grounds = {c.pk: c for c in [*product.id_card_grounds, *product.producer.enterprise_grounds]}
    return list(grounds.values())


def check_id_cards(today: dt.date | None = None) -> int:
    """The daily Art. 13 check: each product that must carry the ID card and has none raises
    an ID_CARD_MISSING warning for the regulators of its producer's township (and the
    producer), naming the certifications that require it; a product that has one now, or no
    longer must, has its warning closed. Returns how many products lack it."""
    products = with_id_card(Product.objects.select_related("producer__township"), today)
    missing = products.filter(id_card_required=True, has_id_card=False)
    count = 0
    for product in missing:
        producer = product.producer
        raise_warning(
            WarningKind.ID_CARD_MISSING,
            product,
            region=producer.township,
            producer=producer,
            title=_("%(producer)s 的“%(product)s”须实行“身份证”管理，尚无有效追溯码")
            % {"producer": producer.name, "product": product},
            detail=_("依据（第十三条）：%(grounds)s")
            % {"grounds": "、".join(str(c) for c in id_card_grounds(product))},
        )
        count += 1
    settled = products.filter(
        pk__in=unclosed_subjects(Product, [WarningKind.ID_CARD_MISSING])
    ).exclude(id_card_required=True, has_id_card=False)
    for product in settled:
        if product.has_id_card:
            note = _("已有“身份证”（有效追溯码）")
        else:
            note = _("不再须实行“身份证”管理")
        close_warnings(WarningKind.ID_CARD_MISSING, product, note)
    return count
