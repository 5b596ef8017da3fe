"""Inputs, production records and batches (2020 spec Art. 11, 13; NY/T 4712-2025 stages)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agritrace.catalog.choices import Category, Unit
from agritrace.catalog.models import CATALOGUE_SCOPE
from agritrace.core.formats import parens
from agritrace.core.models import ScopedModel
from agritrace.core.permissions import MAINTAINERS, kept_by
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import PAST, between
from agritrace.production.choices import (
    BatchKind,
    BatchStatus,
    BuyerKind,
    InputKind,
    RecordKind,
)

#: Records, batches and shipments are the traceability history: corrected (with the change
#: log), never deleted.
HISTORY_SCOPE = ScopeRules(
    region=CATALOGUE_SCOPE.region,
    producer=CATALOGUE_SCOPE.producer,
    grants=kept_by(MAINTAINERS),
)
#: Quantities above this are treated as typing errors (kg, heads, pieces…).
MAX_QUANTITY = Decimal("100000000")
POSITIVE = between(Decimal("0.001"), MAX_QUANTITY)


class Input(ScopedModel):
    """An agricultural input: pesticide (with registration number), veterinary drug, fertiliser
    or feed. Shared catalogue entries have no producer; a producer may add its own."""

    kind = models.CharField(
        verbose_name=_("类别"),
        max_length=12,
        choices=InputKind.choices,
    )
    name = models.CharField(
        verbose_name=_("名称"),
        max_length=100,
    )
    registration_number = models.CharField(
        verbose_name=_("登记证号/批准文号"),
        max_length=64,
        blank=True,
        help_text=_("农药登记证号如 PD20080001"),
    )
    active_ingredient = models.CharField(
        verbose_name=_("有效成分"),
        max_length=200,
        blank=True,
    )
    formulation = models.CharField(
        verbose_name=_("剂型"),
        max_length=50,
        blank=True,
    )
    manufacturer = models.CharField(
        verbose_name=_("生产企业"),
        max_length=100,
        blank=True,
    )
    default_interval_days = models.PositiveIntegerField(
        verbose_name=_("安全间隔期/休药期（天）"),
        default=0,
        help_text=_("未按作物单独规定时适用"),
        validators=between(0, 365),
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inputs",
    )

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer="producer_id",
        grants=CATALOGUE_SCOPE.grants,
        shared="producer",
    )

    class Meta:
        verbose_name = _("投入品")
        verbose_name_plural = _("投入品")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        if self.registration_number:
            return self.name + parens(self.registration_number)
        return self.name

    def clean(self) -> None:
        """Pesticides carry their registration number."""
        super().clean()
        if self.kind == InputKind.PESTICIDE and not self.registration_number:
            raise ValidationError({"registration_number": _("农药须填写登记证号")})


class InputInterval(models.Model):
    """The pre-harvest interval (安全间隔期) of a pesticide on a crop category, or the withdrawal
    period (休药期) of a veterinary drug for a species category."""

    input = models.ForeignKey(
        Input,
        verbose_name=_("投入品"),
        on_delete=models.CASCADE,
        related_name="intervals",
    )
    category = models.CharField(
        verbose_name=_("作物/畜禽类别"),
        max_length=16,
        choices=Category.choices,
    )
    days = models.PositiveIntegerField(
        verbose_name=_("间隔天数"),
        validators=between(0, 365),
    )

    class Meta:
        verbose_name = _("安全间隔期")
        verbose_name_plural = _("安全间隔期")
        constraints = [
            models.UniqueConstraint(fields=["input", "category"], name="interval_one_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.input} · {self.get_category_display()} · {self.days}"


class InputPurchase(ScopedModel):
    """An input bought by a producer (supplier, date, quantity, lot)."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="input_purchases",
    )
    input = models.ForeignKey(
        Input,
        verbose_name=_("投入品"),
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    supplier = models.CharField(
        verbose_name=_("供应商"),
        max_length=100,
    )
    purchased_on = models.DateField(
        verbose_name=_("购买日期"),
        validators=PAST,
    )
    quantity = models.DecimalField(
        verbose_name=_("数量"),
        max_digits=14,
        decimal_places=3,
        validators=POSITIVE,
    )
    unit = models.CharField(
        verbose_name=_("单位"),
        max_length=16,
        default="kg",
    )
    lot = models.CharField(
        verbose_name=_("生产批号"),
        max_length=64,
        blank=True,
    )

    scope_rules = CATALOGUE_SCOPE

    class Meta:
        verbose_name = _("投入品采购")
        verbose_name_plural = _("投入品采购")
        ordering = ["-purchased_on", "-id"]

    def __str__(self) -> str:
        return f"{self.purchased_on} {self.input} {self.quantity}{self.unit}"


class Batch(ScopedModel):
    """A batch (批次): what a harvest, test, certificate and trace code refer to."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("产品"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    number = models.CharField(
        verbose_name=_("批次号"),
        max_length=40,
    )
    kind = models.CharField(
        verbose_name=_("来源"),
        max_length=12,
        choices=BatchKind.choices,
    )
    quantity = models.DecimalField(
        verbose_name=_("数量"),
        max_digits=14,
        decimal_places=3,
        validators=POSITIVE,
    )
    unit = models.CharField(
        verbose_name=_("单位"),
        max_length=8,
        choices=Unit.choices,
    )
    produced_on = models.DateField(
        verbose_name=_("采收/生产日期"),
        validators=PAST,
    )
    bases = models.ManyToManyField(
        "producers.ProductionBase",
        verbose_name=_("来源基地"),
        blank=True,
        related_name="batches",
    )
    supplier = models.CharField(
        verbose_name=_("供货方"),
        max_length=100,
        blank=True,
        help_text=_("收购批次填写"),
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=14,
        choices=BatchStatus.choices,
        default=BatchStatus.ACTIVE,
        db_index=True,
    )
    status_reason = models.CharField(
        verbose_name=_("状态说明"),
        # Written by the rules (a test's item, a release's 200-character reason) with a prefix.
        max_length=300,
        blank=True,
    )

    scope_rules = HISTORY_SCOPE

    class Meta:
        verbose_name = _("批次")
        verbose_name_plural = _("批次")
        ordering = ["-produced_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "number"],
                name="batch_number_unique_per_producer",
                violation_error_message=_("本主体已有此批次号"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.product.name}" if self.product_id else self.number


class BatchLink(models.Model):
    """Lineage: ``quantity`` of ``parent`` went into ``child`` (split, merge or processing)."""

    parent = models.ForeignKey(
        Batch,
        verbose_name=_("上游批次"),
        on_delete=models.PROTECT,
        related_name="child_links",
    )
    child = models.ForeignKey(
        Batch,
        verbose_name=_("下游批次"),
        on_delete=models.PROTECT,
        related_name="parent_links",
    )
    quantity = models.DecimalField(
        verbose_name=_("数量"),
        max_digits=14,
        decimal_places=3,
        validators=POSITIVE,
    )

    class Meta:
        verbose_name = _("批次关系")
        verbose_name_plural = _("批次关系")
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="batchlink_unique"),
            models.CheckConstraint(condition=~Q(parent=F("child")), name="batchlink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} → {self.child_id}"


class Shipment(ScopedModel):
    """A shipment (销售/发货) of part of a batch to a buyer."""

    batch = models.ForeignKey(
        Batch,
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    shipped_on = models.DateField(
        verbose_name=_("发货日期"),
        validators=PAST,
    )
    quantity = models.DecimalField(
        verbose_name=_("数量"),
        max_digits=14,
        decimal_places=3,
        validators=POSITIVE,
    )
    buyer = models.CharField(
        verbose_name=_("购买方"),
        max_length=100,
    )
    buyer_kind = models.CharField(
        verbose_name=_("去向类型"),
        max_length=20,
        choices=BuyerKind.choices,
    )
    destination = models.CharField(
        verbose_name=_("目的地"),
        max_length=200,
        blank=True,
    )

    scope_rules = ScopeRules(
        region=("batch__producer__township",),
        producer="batch__producer_id",
        grants=HISTORY_SCOPE.grants,
    )

    class Meta:
        verbose_name = _("发货记录")
        verbose_name_plural = _("发货记录")
        ordering = ["-shipped_on", "-id"]

    def __str__(self) -> str:
        return f"{self.shipped_on} → {self.buyer}"


class ProductionRecord(ScopedModel):
    """One dated operation on a base and/or a batch (生产记录电子档案). Records are appended;
    state (what was applied, when harvest is allowed) is derived from them, as farmOS does."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    kind = models.CharField(
        verbose_name=_("记录类型"),
        max_length=20,
        choices=RecordKind.choices,
        db_index=True,
    )
    date = models.DateField(
        verbose_name=_("日期"),
        validators=PAST,
    )
    base = models.ForeignKey(
        "producers.ProductionBase",
        verbose_name=_("基地"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("产品/作物"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    input = models.ForeignKey(
        Input,
        verbose_name=_("投入品"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    dose = models.CharField(
        verbose_name=_("用量"),
        max_length=50,
        blank=True,
        help_text=_("如 30毫升/亩"),
    )
    area_mu = models.DecimalField(
        verbose_name=_("面积（亩）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(Decimal("0.01"), Decimal("1000000")),
    )
    head_count = models.PositiveIntegerField(
        verbose_name=_("头/只数"),
        null=True,
        blank=True,
        validators=between(0, 10_000_000),
    )
    target = models.CharField(
        verbose_name=_("防治对象/用途"),
        max_length=100,
        blank=True,
    )
    quantity = models.DecimalField(
        verbose_name=_("数量"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    unit = models.CharField(
        verbose_name=_("单位"),
        max_length=16,
        blank=True,
    )
    counterpart = models.CharField(
        verbose_name=_("供货方/购买方/承运方"),
        max_length=100,
        blank=True,
    )
    operator = models.CharField(
        verbose_name=_("操作人"),
        max_length=50,
        blank=True,
    )
    note = models.CharField(
        verbose_name=_("备注"),
        max_length=300,
        blank=True,
    )
    photo = models.ImageField(
        verbose_name=_("照片"),
        upload_to="records/%Y/%m/",
        blank=True,
    )

    scope_rules = HISTORY_SCOPE

    class Meta:
        verbose_name = _("生产记录")
        verbose_name_plural = _("生产记录")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["base", "kind", "date"]),
            models.Index(fields=["batch", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
