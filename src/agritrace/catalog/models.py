"""Products, certifications, standards and training (2020 spec Art. 7, 12, 13; 2021 Annex 2)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import ean

from agritrace.catalog.choices import (
    CERTIFICATE_MANDATORY,
    Category,
    CertificationKind,
    StandardLevel,
    Unit,
    Validity,
)
from agritrace.core.formats import parens
from agritrace.core.images import PhotoCheck
from agritrace.core.models import ScopedModel
from agritrace.core.permissions import MAINTAINERS, maintained_by
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import ANY_DAY, between

#: A producer's catalogue (products, certifications, training): regulators and the producer's
#: own people maintain it.
CATALOGUE_SCOPE = ScopeRules(
    region=("producer__township",),
    producer="producer_id",
    grants=maintained_by(MAINTAINERS),
)
EXPIRY_WARNING_DAYS = 30
#: A product photo's upload limit (the ID card shows smaller copies, see ``PHOTO_WIDTHS``).
PRODUCT_PHOTO_MAX_BYTES = 5 * 1024 * 1024
#: The widths of a product photo's copies for ``srcset`` (a phone's card is 360–430 CSS px
#: wide; the photo takes a third of it, at up to 3x density).
PHOTO_WIDTHS = (160, 320, 640)
#: Ten years: dried and fermented products (dark tea) keep long; nothing sold fresh keeps longer.
MAX_SHELF_LIFE_DAYS = 3650


def validate_gtin(value: str) -> None:
    """GTIN-8/12/13/14 with a correct GS1 check digit."""
    if not value.isdigit() or len(value) not in (8, 12, 13, 14) or not ean.is_valid(value):
        raise ValidationError(
            _("GTIN 无效：须为 8、12、13 或 14 位数字且校验位正确"), code="invalid_gtin"
        )


class Standard(ScopedModel):
    """A production technical regulation (生产技术规程/标准). National, industry and local ones
    are shared (no producer); enterprise standards belong to their producer (Art. 12)."""

    title = models.CharField(
        verbose_name=_("标准名称"),
        max_length=200,
    )
    number = models.CharField(
        verbose_name=_("标准编号"),
        max_length=64,
    )
    level = models.CharField(
        verbose_name=_("级别"),
        max_length=12,
        choices=StandardLevel.choices,
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="standards",
        help_text=_("企业标准填写；国家、行业、地方标准留空（全平台共享）"),
    )
    document = models.FileField(
        verbose_name=_("标准文本"),
        upload_to="standards/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "doc", "docx"])],
    )

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer="producer_id",
        grants=CATALOGUE_SCOPE.grants,
        shared="producer",
    )

    class Meta:
        verbose_name = _("生产技术规程")
        verbose_name_plural = _("生产技术规程")
        ordering = ["level", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        """Enterprise standards belong to a producer; shared ones to none."""
        super().clean()
        if self.level == StandardLevel.ENTERPRISE and not self.producer_id:
            raise ValidationError({"producer": _("企业标准须填写所属主体")})


class Product(ScopedModel):
    """A product of a producer."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(
        verbose_name=_("产品名称"),
        max_length=100,
    )
    category = models.CharField(
        verbose_name=_("产品类别"),
        max_length=16,
        choices=Category.choices,
    )
    variety = models.CharField(
        verbose_name=_("品种"),
        max_length=100,
        blank=True,
    )
    unit = models.CharField(
        verbose_name=_("计量单位"),
        max_length=8,
        choices=Unit.choices,
        default=Unit.KG,
    )
    package_spec = models.CharField(
        verbose_name=_("包装规格"),
        max_length=100,
        blank=True,
        help_text=_("如 500克/盒"),
    )
    gtin = models.CharField(
        verbose_name=_("商品条码（GTIN）"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],
    )
    photo = models.ImageField(
        verbose_name=_("产品图片"),
        upload_to="products/%Y/",
        blank=True,
        validators=[PhotoCheck(PRODUCT_PHOTO_MAX_BYTES)],
        help_text=_("JPEG、PNG 或 WebP，不超过 5 MB；显示在产品身份证上"),
    )
    shelf_life_days = models.PositiveSmallIntegerField(
        verbose_name=_("保质期（天）"),
        null=True,
        blank=True,
        validators=between(1, MAX_SHELF_LIFE_DAYS),
    )
    storage = models.CharField(
        verbose_name=_("贮存条件"),
        max_length=200,
        blank=True,
        help_text=_("如 0–4℃冷藏，避光防潮"),
    )
    standards = models.ManyToManyField(
        Standard,
        verbose_name=_("执行标准"),
        blank=True,
        related_name="products",
    )
    shop_url = models.URLField(
        verbose_name=_("网店链接"),
        blank=True,
        help_text=_("入驻电商平台的购买链接（第十四条）"),
    )

    scope_rules = CATALOGUE_SCOPE

    class Meta:
        verbose_name = _("产品")
        verbose_name_plural = _("产品")
        ordering = ["producer", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "name", "variety"],
                name="product_unique_per_producer",
                violation_error_message=_("本主体已有同名同品种的产品"),
            )
        ]

    def __str__(self) -> str:
        return self.name + parens(self.variety) if self.variety else self.name

    @property
    def certificate_mandatory(self) -> bool:
        """Whether this product's category needs a certificate of compliance."""
        return self.category in CERTIFICATE_MANDATORY


class Certification(ScopedModel):
    """A designation or certification of a producer, with the products it covers."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    kind = models.CharField(
        verbose_name=_("类别"),
        max_length=20,
        choices=CertificationKind.choices,
    )
    number = models.CharField(
        verbose_name=_("证书编号"),
        max_length=64,
        blank=True,
    )
    name = models.CharField(
        verbose_name=_("名称"),
        max_length=100,
        blank=True,
        help_text=_("品牌或商标名称，如“安化黑茶”"),
    )
    issuer = models.CharField(
        verbose_name=_("发证机构"),
        max_length=100,
        blank=True,
    )
    valid_from = models.DateField(
        verbose_name=_("有效期起"),
        null=True,
        blank=True,
        validators=ANY_DAY,
    )
    valid_to = models.DateField(
        verbose_name=_("有效期至"),
        null=True,
        blank=True,
        db_index=True,
        validators=ANY_DAY,
    )
    products = models.ManyToManyField(
        Product,
        verbose_name=_("覆盖产品"),
        blank=True,
        related_name="certifications",
    )

    scope_rules = CATALOGUE_SCOPE

    class Meta:
        verbose_name = _("认证与品牌")
        verbose_name_plural = _("认证与品牌")
        ordering = ["producer", "kind", "valid_to"]

    def __str__(self) -> str:
        label = self.name or self.get_kind_display()
        return f"{label} {self.number}".strip()

    def clean(self) -> None:
        """Validity ends after it starts; certificates need a number."""
        super().clean()
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("有效期至不能早于有效期起")
        if self.kind in (
            CertificationKind.GREEN_FOOD,
            CertificationKind.ORGANIC,
            CertificationKind.GI,
        ):
            if not self.number:
                errors["number"] = _("认证须填写证书编号")
            if not self.valid_to:
                errors["valid_to"] = _("认证须填写有效期")
        if errors:
            raise ValidationError(errors)

    def validity(self, today: dt.date | None = None) -> Validity:
        """Valid, expiring within 30 days, expired, or not yet valid."""
        today = today or timezone.localdate()
        if self.valid_from and today < self.valid_from:
            return Validity.NOT_YET
        if self.valid_to is None:
            return Validity.VALID
        if self.valid_to < today:
            return Validity.EXPIRED
        if self.valid_to <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
            return Validity.EXPIRING
        return Validity.VALID


class TrainingSession(ScopedModel):
    """A standard-training session (标准培训) held for a producer's people."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    standard = models.ForeignKey(
        Standard,
        verbose_name=_("培训标准"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    topic = models.CharField(
        verbose_name=_("培训主题"),
        max_length=200,
    )
    held_on = models.DateField(
        verbose_name=_("培训日期"),
        validators=ANY_DAY,
    )
    trainer = models.CharField(
        verbose_name=_("授课人/单位"),
        max_length=100,
        blank=True,
    )
    attendees = models.TextField(
        verbose_name=_("参训人员"),
        blank=True,
        help_text=_("每行一人"),
    )

    scope_rules = CATALOGUE_SCOPE

    class Meta:
        verbose_name = _("标准培训")
        verbose_name_plural = _("标准培训")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"

    @property
    def attendee_list(self) -> list[str]:
        """Attendees, one per line."""
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]
