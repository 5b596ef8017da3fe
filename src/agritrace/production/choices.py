"""Production choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InputKind(models.TextChoices):
    """投入品 kinds."""

    PESTICIDE = "pesticide", _("农药")
    VET_DRUG = "vet_drug", _("兽药")
    FERTILISER = "fertiliser", _("肥料")
    FEED = "feed", _("饲料")


class RecordKind(models.TextChoices):
    """Kinds of production record (NY/T 4712 stages: production, purchase, storage, transport,
    processing/slaughter, sale)."""

    PLANTING = "planting", _("种植/播种")
    STOCKING = "stocking", _("投苗/引种")
    INPUT_APPLICATION = "input_application", _("投入品使用")
    FERTILISING = "fertilising", _("施肥")
    IRRIGATION = "irrigation", _("灌溉")
    HARVEST = "harvest", _("采收")
    SLAUGHTER = "slaughter", _("屠宰/出栏")
    PROCESSING = "processing", _("加工")
    STORAGE = "storage", _("贮存")
    TRANSPORT = "transport", _("运输")
    PURCHASE = "purchase", _("收购")
    SALE = "sale", _("销售/发货")
    OTHER = "other", _("其他")


#: Records that end an interval: harvest or slaughter must respect 安全间隔期/休药期.
HARVEST_KINDS = frozenset({RecordKind.HARVEST, RecordKind.SLAUGHTER})
#: Records that apply an input whose interval counts.
APPLICATION_KINDS = frozenset({RecordKind.INPUT_APPLICATION, RecordKind.FERTILISING})


class BatchKind(models.TextChoices):
    """How a batch came to be."""

    HARVEST = "harvest", _("采收")
    PURCHASE = "purchase", _("收购")
    SPLIT = "split", _("分批")
    PROCESSING = "processing", _("加工/合并")


class BatchStatus(models.TextChoices):
    """Batch status; "under review" and "recalled" stop certificates of compliance."""

    ACTIVE = "active", _("正常")
    UNDER_REVIEW = "under_review", _("待复核")
    RECALLED = "recalled", _("已召回")
    CLOSED = "closed", _("已结束")


class BuyerKind(models.TextChoices):
    """Where a shipment goes."""

    WHOLESALE_MARKET = "wholesale_market", _("批发市场")
    FARMERS_MARKET = "farmers_market", _("农贸市场")
    SUPERMARKET = "supermarket", _("商超")
    PROCESSOR = "processor", _("加工企业")
    CATERING = "catering", _("餐饮/食堂")
    ECOMMERCE = "ecommerce", _("电商")
    OTHER = "other", _("其他")
