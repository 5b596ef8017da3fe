"""Catalogue rules: certification validity and its warnings, the products that must carry the
ID card (Art. 13), "produces to standard", product photos."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.alerts.models import Severity, WarningKind
from agritrace.alerts.services import close_warnings, raise_warning, unclosed_subjects
from agritrace.catalog.choices import ENTERPRISE_WIDE, ID_CARD_REQUIRED, Validity
from agritrace.catalog.models import (
    EXPIRY_WARNING_DAYS,
    PHOTO_WIDTHS,
    PRODUCT_PHOTO_MAX_BYTES,
    Certification,
    Product,
)
from agritrace.core import images

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


def id_card_required(
    products: QuerySet[Product], today: dt.date | None = None
) -> QuerySet[Product]:
    """``products`` with ``id_card_required`` and the certifications that require it.

    A product must carry the ID card (Art. 13 "全面实行农产品‘身份证’管理和‘一品一码’赋码标
    识") when a certification or brand in force covers it (:data:`ID_CARD_REQUIRED`: brands,
    green, organic and GI products, registered trademarks), or when its producer is a
    provincial or national leading enterprise (:data:`ENTERPRISE_WIDE`). ``id_card_grounds``
    (on the product) and ``enterprise_grounds`` (on its producer) list the certifications that
    require it (see :func:`id_card_grounds`). Whether it has one is the coding app's to say
    (:func:`agritrace.coding.services.idcards.with_id_card`)."""
    in_force = Certification.objects.filter(in_force_q(today), kind__in=ID_CARD_REQUIRED)
    enterprise = in_force.filter(kind__in=ENTERPRISE_WIDE)
    return products.annotate(
        id_card_required=Exists(in_force.filter(products=OuterRef("pk")))
        | Exists(enterprise.filter(producer=OuterRef("producer_id"))),
    ).prefetch_related(
        Prefetch("certifications", queryset=in_force, to_attr="id_card_grounds"),
        Prefetch("producer__certifications", queryset=enterprise, to_attr="enterprise_grounds"),
    )


def id_card_grounds(product: Product) -> list[Certification]:
    """The certifications in force that require ``product`` to carry the ID card (a product
    from :func:`id_card_required`)."""
    grounds = {c.pk: c for c in [*product.id_card_grounds, *product.producer.enterprise_grounds]}
    return list(grounds.values())


# Product photos (the ID card's 产品图片, 2021 notice 产品"身份证") --------------------------

#: A product photo is stored at most this big; the ID card offers the smaller copies.
PHOTO_BOX = (1280, 1280)


def store_photo(product: Product) -> None:
    """A product's newly uploaded photo (not yet stored), re-encoded without metadata (as a
    complaint photo is, :func:`agritrace.core.images.clean_photo`) and scaled to fit
    :data:`PHOTO_BOX`, stored with its copies at :data:`PHOTO_WIDTHS` for ``srcset``, once,
    on upload. A refused upload raises ``ValidationError`` on ``photo`` (forms and the API
    have already refused it through the field's validator)."""
    photo = product.photo
    if not photo or photo._committed:
        return
    try:
        clean = images.clean_photo(photo.file, PRODUCT_PHOTO_MAX_BYTES, PHOTO_BOX)
    except images.PhotoRefused as refused:
        raise ValidationError({"photo": str(refused)}) from None
    stem = photo.name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:60] or "photo"
    photo.save(f"{stem}.{clean.extension}", ContentFile(clean.content), save=False)
    images.save_variants(photo.storage, photo.name, PHOTO_WIDTHS)


def photo_srcset(product: Product) -> list[tuple[str, int]]:
    """(URL, width) of the stored copies of a product's photo, narrowest first."""
    if not product.photo:
        return []
    return images.srcset(product.photo.storage, product.photo.name, PHOTO_WIDTHS)
