"""The producer registry (2020 spec Art. 5, 9, 10; Annex 1)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agritrace.core import codes
from agritrace.core.models import ScopedModel
from agritrace.core.permissions import (
    ALL_ROLES,
    MAINTAINERS,
    NOBODY,
    REGISTRARS,
    Role,
    maintained_by,
)
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import (
    PAST,
    between,
    validate_latitude,
    validate_longitude,
    validate_phone,
    validate_uscc,
)
from agritrace.producers.choices import (
    BaseKind,
    EquipmentCategory,
    EquipmentStatus,
    IndustryCode,
    LeadingLevel,
    ProducerKind,
    ProducerStatus,
    TracePointKind,
)
from agritrace.regions.models import Level, Region

PRODUCER_CODE_LENGTH = 14


def new_identity_code() -> str:
    """A fresh producer identity code (主体身份码)."""
    return codes.new_code(PRODUCER_CODE_LENGTH - 1)


def township_only(region: Region | None) -> dict[str, str]:
    """Error for a region that is not a township (a producer sits in a township, not a county)."""
    if region is not None and region.level != Level.TOWNSHIP:
        return {
            "township": str(
                _("请选择乡镇（街道），而不是%(level)s") % {"level": region.get_level_display()}
            )
        }
    return {}


class LocatedModel(ScopedModel):
    """Latitude/longitude inside China (WGS-84)."""

    latitude = models.DecimalField(
        verbose_name=_("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_latitude],
    )
    longitude = models.DecimalField(
        verbose_name=_("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_longitude],
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Latitude and longitude come together."""
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("经纬度须同时填写")})


class Industry(models.Model):
    """An industry (种植业、畜牧业…); fixed rows, one per ``IndustryCode``."""

    code = models.CharField(
        verbose_name=_("代码"),
        max_length=20,
        choices=IndustryCode.choices,
        unique=True,
    )

    class Meta:
        verbose_name = _("产业")
        verbose_name_plural = _("产业")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Producer(LocatedModel):
    """A producer (生产经营主体) registered with its township and county."""

    kind = models.CharField(
        verbose_name=_("主体类型"),
        max_length=20,
        choices=ProducerKind.choices,
    )
    name = models.CharField(
        verbose_name=_("主体名称"),
        max_length=100,
        db_index=True,
    )
    uscc = models.CharField(
        verbose_name=_("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        error_messages={"unique": _("该统一社会信用代码已登记")},
    )
    legal_representative = models.CharField(
        verbose_name=_("法定代表人/负责人"),
        max_length=50,
    )
    contact_phone = models.CharField(
        verbose_name=_("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
    )
    address = models.CharField(
        verbose_name=_("地址"),
        max_length=200,
        blank=True,
    )
    township = models.ForeignKey(
        Region,
        verbose_name=_("所在乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="producers",
    )
    industries = models.ManyToManyField(
        Industry,
        verbose_name=_("产业"),
        blank=True,
        related_name="producers",
    )
    scale_producer = models.BooleanField(
        verbose_name=_("规模生产经营主体"),
        default=False,
    )
    leading_level = models.CharField(
        verbose_name=_("龙头企业级别"),
        max_length=12,
        choices=LeadingLevel.choices,
        blank=True,
        default=LeadingLevel.NONE,
    )
    national_registered = models.BooleanField(
        verbose_name=_("已在国家追溯平台注册"),
        default=False,
    )
    national_registered_on = models.DateField(
        verbose_name=_("国家平台注册日期"),
        null=True,
        blank=True,
        validators=PAST,
    )
    national_account = models.CharField(
        verbose_name=_("国家平台账号"),
        max_length=64,
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=12,
        choices=ProducerStatus.choices,
        default=ProducerStatus.APPLIED,
        db_index=True,
    )
    status_note = models.CharField(
        verbose_name=_("审核意见"),
        max_length=200,
        blank=True,
    )
    reviewed_at = models.DateTimeField(
        verbose_name=_("审核时间"),
        null=True,
        blank=True,
        validators=PAST,
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    identity_code = models.CharField(
        verbose_name=_("主体身份码"),
        max_length=PRODUCER_CODE_LENGTH,
        unique=True,
        default=new_identity_code,
        editable=False,
    )

    scope_rules = ScopeRules(
        region=("township",),
        producer="pk",
        grants={
            "view": ALL_ROLES,
            "add": REGISTRARS,
            "change": REGISTRARS | {Role.OWNER},
            "delete": NOBODY,
        },
    )

    class Meta:
        verbose_name = _("生产经营主体")
        verbose_name_plural = _("生产经营主体")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["township", "status"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Township level; national registration date only when registered."""
        super().clean()
        errors = township_only(self.township if self.township_id else None)
        if self.national_registered_on and not self.national_registered:
            errors["national_registered_on"] = str(_("未在国家平台注册时不应填写注册日期"))
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        """Store the USCC in its compact upper-case form."""
        self.uscc = self.uscc.strip().upper().replace(" ", "").replace("-", "")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ProductionBase(LocatedModel):
    """A production base (生产基地): field, orchard, barn, pond…"""

    producer = models.ForeignKey(
        Producer,
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="bases",
    )
    name = models.CharField(
        verbose_name=_("基地名称"),
        max_length=100,
    )
    kind = models.CharField(
        verbose_name=_("基地类型"),
        max_length=20,
        choices=BaseKind.choices,
    )
    area_mu = models.DecimalField(
        verbose_name=_("面积（亩）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=between(Decimal("0.01"), Decimal("10000000")),
    )
    township = models.ForeignKey(
        Region,
        verbose_name=_("所在乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="bases",
    )
    address = models.CharField(
        verbose_name=_("地址"),
        max_length=200,
        blank=True,
    )

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer="producer_id",
        grants=maintained_by(MAINTAINERS),
    )

    class Meta:
        verbose_name = _("生产基地")
        verbose_name_plural = _("生产基地")
        ordering = ["producer", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A base lies in a township."""
        super().clean()
        errors = township_only(self.township if self.township_id else None)
        if errors:
            raise ValidationError(errors)


class TracePoint(LocatedModel):
    """A trace point of a producer, or a township's trace service station (2020 spec Art. 9)."""

    kind = models.CharField(
        verbose_name=_("类型"),
        max_length=20,
        choices=TracePointKind.choices,
    )
    name = models.CharField(
        verbose_name=_("名称"),
        max_length=100,
    )
    producer = models.ForeignKey(
        Producer,
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trace_points",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("乡镇监管站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trace_points",
    )
    township = models.ForeignKey(
        Region,
        verbose_name=_("所在乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="trace_points",
    )
    address = models.CharField(
        verbose_name=_("地址"),
        max_length=200,
        blank=True,
    )

    scope_rules = ScopeRules(
        region=("township",),
        producer="producer_id",
        grants=maintained_by(MAINTAINERS),
        producer_defaults={"kind": TracePointKind.PRODUCER_POINT},
    )

    class Meta:
        verbose_name = _("追溯网点")
        verbose_name_plural = _("追溯网点")
        ordering = ["township__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind=TracePointKind.PRODUCER_POINT,
                    producer__isnull=False,
                    organisation__isnull=True,
                )
                | Q(
                    kind=TracePointKind.SERVICE_STATION,
                    producer__isnull=True,
                    organisation__isnull=False,
                ),
                name="tracepoint_producer_or_station",
                violation_error_message=_("追溯网点属于生产经营主体，服务站点属于乡镇监管站"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A producer's point has a producer; a station belongs to that township's station."""
        super().clean()
        errors = township_only(self.township if self.township_id else None)
        if self.kind == TracePointKind.PRODUCER_POINT:
            if not self.producer_id:
                errors["producer"] = str(_("追溯网点须属于一个生产经营主体"))
            if self.organisation_id:
                errors["organisation"] = str(_("追溯网点不属于监管站"))
        elif self.kind == TracePointKind.SERVICE_STATION:
            if self.producer_id:
                errors["producer"] = str(_("追溯服务站点不属于生产经营主体"))
            if not self.organisation_id:
                errors["organisation"] = str(_("追溯服务站点须属于乡镇监管站"))
            elif self.township_id and self.organisation.region_id != self.township_id:
                errors["organisation"] = str(_("须为本乡镇的监管站"))
        if errors:
            raise ValidationError(errors)


class Equipment(ScopedModel):
    """One piece of equipment of Annex 1, held by a producer or an organisation."""

    category = models.CharField(
        verbose_name=_("设备类别"),
        max_length=20,
        choices=EquipmentCategory.choices,
    )
    model_name = models.CharField(
        verbose_name=_("品牌型号"),
        max_length=100,
        blank=True,
    )
    serial_number = models.CharField(
        verbose_name=_("序列号"),
        max_length=100,
        blank=True,
    )
    dpi = models.PositiveIntegerField(
        verbose_name=_("打印分辨率（dpi）"),
        null=True,
        blank=True,
        validators=between(72, 2400),
    )
    producer = models.ForeignKey(
        Producer,
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
    )
    trace_point = models.ForeignKey(
        TracePoint,
        verbose_name=_("所在网点"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="equipment",
    )
    acquired_on = models.DateField(
        verbose_name=_("购置日期"),
        null=True,
        blank=True,
        validators=PAST,
    )
    reused = models.BooleanField(
        verbose_name=_("利旧"),
        default=False,
    )
    domestic = models.BooleanField(
        verbose_name=_("国产"),
        default=True,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=12,
        choices=EquipmentStatus.choices,
        default=EquipmentStatus.IN_SERVICE,
    )
    note = models.CharField(
        verbose_name=_("备注"),
        max_length=200,
        blank=True,
    )

    scope_rules = ScopeRules(
        region=("producer__township", "organisation__region"),
        producer="producer_id",
        grants=maintained_by(MAINTAINERS),
    )

    class Meta:
        verbose_name = _("设施设备")
        verbose_name_plural = _("设施设备")
        ordering = ["category", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(producer__isnull=False, organisation__isnull=True)
                | Q(producer__isnull=True, organisation__isnull=False),
                name="equipment_one_holder",
                violation_error_message=_("设备须属于一个生产经营主体或一个机构"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.model_name}".strip()

    def clean(self) -> None:
        """One holder; label printers ≥ 203 dpi (Annex 1); the trace point is the holder's."""
        super().clean()
        errors: dict[str, str] = {}
        if bool(self.producer_id) == bool(self.organisation_id):
            errors["producer"] = str(_("设备须属于一个生产经营主体或一个机构"))
        if self.category == EquipmentCategory.LABEL_PRINTER and (
            self.dpi is None or self.dpi < 203
        ):
            errors["dpi"] = str(_("二维码打印机分辨率须不低于 203 dpi（附件1）"))
        if self.trace_point_id and (
            self.trace_point.producer_id != self.producer_id
            or self.trace_point.organisation_id != self.organisation_id
        ):
            errors["trace_point"] = str(_("所在网点须属于同一主体或机构"))
        if errors:
            raise ValidationError(errors)
