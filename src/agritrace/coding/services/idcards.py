"""Products that must carry the ID card and whether they do (2020 spec Art. 13 "全面实行农产品
‘身份证’管理和‘一品一码’赋码标识"): catalog says which must
(:func:`agritrace.catalog.services.id_card_required`), coding says which have one, and the daily
check warns about the rest."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from agritrace.alerts.models import WarningKind
from agritrace.alerts.services import close_warnings, raise_warning, unclosed_subjects
from agritrace.catalog.models import Product
from agritrace.catalog.services import id_card_grounds, id_card_required
from agritrace.coding.choices import CodeStatus
from agritrace.core.formats import listed


def with_id_card(products: QuerySet[Product], today: dt.date | None = None) -> QuerySet[Product]:
    """``products`` with ``id_card_required`` (and its grounds) and ``has_id_card``: a product
    has its ID card while an active trace code is bound to one of its batches, for that code's
    page (``/t/<code>``) is the ID card."""
    return id_card_required(products, today).annotate(
        has_id_card=Exists(
            Product.objects.filter(
                pk=OuterRef("pk"), batches__trace_codes__status=CodeStatus.ACTIVE
            )
        ),
    )


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
            % {"grounds": listed(id_card_grounds(product))},
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
