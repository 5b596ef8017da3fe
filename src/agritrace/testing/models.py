"""Test records, devices, technicians, self-test plans, residue limits (2021 notice Annex 2:
检验检测 25 points; 2020 spec Annex 1: rapid-test devices that back up and upload data)."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agritrace.core.formats import parens
from agritrace.core.models import ScopedModel
from agritrace.core.permissions import MAINTAINERS, READ_ONLY, Role, added_by, maintained_by
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import ANY_DAY, PAST, between
from agritrace.testing.choices import (
    DeviceKind,
    Method,
    Period,
    Purpose,
    Result,
    TLine,
    UploadFormat,
    UploadStatus,
)

#: Producer's own people, registrars and testers keep testing records.
TESTERS = MAINTAINERS | {Role.TESTER, Role.INSPECTOR}
HELD_SCOPE = ScopeRules(
    region=("producer__township", "organisation__region"),
    producer="producer_id",
    grants=maintained_by(TESTERS),
)


#: Largest reading of a 12-digit, 4-decimal column (ELISA values, lab values, limits).
MAX_READING = Decimal("99999999.9999")
#: Largest limit of a 10-digit, 4-decimal column (maximum residue limits).
MAX_LIMIT = Decimal("999999.9999")
#: An inhibition rate is a percentage; readings and limits are never negative.
PERCENT = between(Decimal(0), Decimal(100))
READING = between(Decimal(0), MAX_READING)
#: How many records an upload counts (at most 1,000 records, uploads.MAX_RECORDS).
COUNT = between(0, 1000)


class Held(ScopedModel):
    """Held by a producer or by an organisation (a township station, a testing agency)."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_rules = HELD_SCOPE

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Exactly one holder."""
        super().clean()
        if bool(self.producer_id) == bool(self.organisation_id):
            raise ValidationError({"producer": _("须属于一个生产经营主体或一个机构")})


class Technician(Held):
    """A testing technician (自检技术员)."""

    name = models.CharField(
        verbose_name=_("姓名"),
        max_length=50,
    )
    certificate = models.CharField(
        verbose_name=_("上岗证/培训证书编号"),
        max_length=64,
        blank=True,
    )
    active = models.BooleanField(
        verbose_name=_("在岗"),
        default=True,
    )

    class Meta:
        verbose_name = _("检测技术员")
        verbose_name_plural = _("检测技术员")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TechnicianTraining(models.Model):
    """A technician's professional training (受过专业培训)."""

    technician = models.ForeignKey(
        Technician,
        verbose_name=_("技术员"),
        on_delete=models.CASCADE,
        related_name="trainings",
    )
    course = models.CharField(
        verbose_name=_("培训内容"),
        max_length=200,
    )
    held_on = models.DateField(
        verbose_name=_("培训日期"),
        validators=PAST,
    )
    issuer = models.CharField(
        verbose_name=_("培训单位"),
        max_length=100,
        blank=True,
    )

    class Meta:
        verbose_name = _("技术员培训")
        verbose_name_plural = _("技术员培训")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.course}"


class Device(Held):
    """A rapid-test device (Annex 1 kind A, B or C) that uploads its results."""

    kind = models.CharField(
        verbose_name=_("设备类别"),
        max_length=1,
        choices=DeviceKind.choices,
    )
    model_name = models.CharField(
        verbose_name=_("品牌型号"),
        max_length=100,
    )
    serial = models.CharField(
        verbose_name=_("序列号"),
        max_length=64,
        unique=True,
    )
    calibrated_on = models.DateField(
        verbose_name=_("最近校准日期"),
        null=True,
        blank=True,
        validators=PAST,
    )
    active = models.BooleanField(
        verbose_name=_("启用"),
        default=True,
    )
    key_version = models.PositiveIntegerField(
        verbose_name=_("密钥版本"),
        default=1,
        editable=False,
    )

    class Meta:
        verbose_name = _("速测设备")
        verbose_name_plural = _("速测设备")
        ordering = ["serial"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"

    def secret(self) -> str:
        """The device's upload secret: derived from the platform key, never stored. Shown once
        when the device is provisioned; rotating bumps ``key_version``."""
        message = f"agritrace-device:{self.pk}:{self.serial}:{self.key_version}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class MaximumResidueLimit(models.Model):
    """A maximum residue limit (最大残留限量) from a national standard (GB 2763 for pesticides,
    GB 31650 for veterinary drugs), loaded by ``agritrace load_mrls``."""

    analyte = models.CharField(
        verbose_name=_("检测项目"),
        max_length=100,
    )
    food = models.CharField(
        verbose_name=_("食品类别/名称"),
        max_length=100,
    )
    limit = models.DecimalField(
        verbose_name=_("限量（mg/kg）"),
        max_digits=10,
        decimal_places=4,
        validators=between(Decimal("0.0001"), MAX_LIMIT),
    )
    source = models.CharField(
        verbose_name=_("标准"),
        max_length=64,
    )

    class Meta:
        verbose_name = _("最大残留限量")
        verbose_name_plural = _("最大残留限量")
        ordering = ["analyte", "food"]
        constraints = [
            models.UniqueConstraint(fields=["analyte", "food", "source"], name="mrl_unique")
        ]

    def __str__(self) -> str:
        return f"{self.analyte} {self.food} ≤ {self.limit} mg/kg" + parens(self.source)


class TestRecord(ScopedModel):
    """One test of one sample. Kept, never deleted (a test is evidence)."""

    __test__ = False  # not a pytest test class

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("受检主体"),
        on_delete=models.PROTECT,
        related_name="tests",
    )
    batch = models.ForeignKey(
        "production.Batch",
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tests",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("产品"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tests",
    )
    sample_name = models.CharField(
        verbose_name=_("样品名称"),
        max_length=100,
    )
    sampling_place = models.CharField(
        verbose_name=_("抽样地点"),
        max_length=200,
        blank=True,
    )
    sampled_at = models.DateTimeField(
        verbose_name=_("抽样时间"),
        null=True,
        blank=True,
        validators=PAST,
    )
    sampler = models.CharField(
        verbose_name=_("抽样人"),
        max_length=50,
        blank=True,
    )
    purpose = models.CharField(
        verbose_name=_("检测类型"),
        max_length=14,
        choices=Purpose.choices,
        default=Purpose.SELF,
    )
    ordered_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("下达抽查的机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ordered_tests",
    )
    method = models.CharField(
        verbose_name=_("检测方法"),
        max_length=8,
        choices=Method.choices,
    )
    item = models.CharField(
        verbose_name=_("检测项目"),
        max_length=100,
        help_text=_("如 有机磷和氨基甲酸酯类农药、克伦特罗、莱克多巴胺"),
    )
    tested_at = models.DateTimeField(
        verbose_name=_("检测时间"),
        db_index=True,
        validators=PAST,
    )
    technician = models.ForeignKey(
        Technician,
        verbose_name=_("检测人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tests",
    )
    tester_name = models.CharField(
        verbose_name=_("检测人"),
        max_length=50,
        blank=True,
    )
    device = models.ForeignKey(
        Device,
        verbose_name=_("检测设备"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tests",
    )
    device_record_id = models.CharField(
        verbose_name=_("设备记录号"),
        max_length=64,
        blank=True,
    )
    upload = models.UUIDField(
        verbose_name=_("上传批号"),
        null=True,
        blank=True,
        editable=False,
    )
    fingerprint = models.CharField(
        verbose_name=_("上传内容指纹"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("设备上传记录内容的 SHA-256，用于区分重复上传与内容冲突"),
    )
    inhibition_rate = models.DecimalField(
        verbose_name=_("抑制率（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    control_line = models.BooleanField(
        verbose_name=_("质控线（C 线）显色"),
        null=True,
        blank=True,
    )
    t_line = models.CharField(
        verbose_name=_("检测线（T 线）"),
        max_length=20,
        choices=TLine.choices,
        blank=True,
    )
    value = models.DecimalField(
        verbose_name=_("检测值"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=READING,
    )
    unit = models.CharField(
        verbose_name=_("单位"),
        max_length=16,
        blank=True,
        default="mg/kg",
    )
    limit = models.DecimalField(
        verbose_name=_("限量/判定值"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=READING,
    )
    limit_source = models.CharField(
        verbose_name=_("限量依据"),
        max_length=64,
        blank=True,
    )
    laboratory = models.CharField(
        verbose_name=_("检测机构"),
        max_length=100,
        blank=True,
    )
    report = models.FileField(
        verbose_name=_("检测报告"),
        upload_to="test-reports/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    result = models.CharField(
        verbose_name=_("结果"),
        max_length=12,
        choices=Result.choices,
        db_index=True,
    )
    retest_of = models.ForeignKey(
        "self",
        verbose_name=_("复检自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retests",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer="producer_id",
        grants=added_by(TESTERS),
    )

    class Meta:
        verbose_name = _("检测记录")
        verbose_name_plural = _("检测记录")
        ordering = ["-tested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "device_record_id"],
                condition=Q(device__isnull=False),
                name="test_unique_device_record",
            )
        ]
        indexes = [models.Index(fields=["producer", "tested_at"]), models.Index(fields=["upload"])]

    def __str__(self) -> str:
        return f"{self.sample_name} {self.item} {self.get_result_display()}"


class DeviceUpload(ScopedModel):
    """One upload of a device and the platform's answer to it: the device's upload log (2020
    spec Annex 1: devices "自动备份和上传数据"). Written for every upload that authenticated,
    refused ones included; kept, never edited."""

    device = models.ForeignKey(
        Device,
        verbose_name=_("检测设备"),
        on_delete=models.PROTECT,
        related_name="uploads",
    )
    uid = models.UUIDField(
        verbose_name=_("上传批号"),
        unique=True,
        editable=False,
        help_text=_("本次上传保存的检测记录带有同一上传批号"),
    )
    source = models.CharField(
        verbose_name=_("格式"),
        max_length=4,
        choices=UploadFormat.choices,
    )
    status = models.CharField(
        verbose_name=_("上传结果"),
        max_length=20,
        choices=UploadStatus.choices,
        db_index=True,
    )
    http_status = models.PositiveSmallIntegerField(
        verbose_name=_("HTTP 状态码"),
        validators=between(100, 599),
    )
    records = models.PositiveIntegerField(
        verbose_name=_("记录数"),
        default=0,
        validators=COUNT,
    )
    accepted = models.PositiveIntegerField(
        verbose_name=_("接收"),
        default=0,
        validators=COUNT,
    )
    duplicates = models.PositiveIntegerField(
        verbose_name=_("重复"),
        default=0,
        validators=COUNT,
    )
    conflicts = models.PositiveIntegerField(
        verbose_name=_("冲突"),
        default=0,
        validators=COUNT,
    )
    rejected = models.PositiveIntegerField(
        verbose_name=_("拒收"),
        default=0,
        validators=COUNT,
    )
    errors = models.JSONField(
        verbose_name=_("整体错误"),
        default=dict,
        blank=True,
    )
    results = models.JSONField(
        verbose_name=_("逐条结果"),
        default=list,
        blank=True,
        help_text=_("冲突与拒收的记录在前；超出日志容量的逐条结果只计数"),
    )
    omitted = models.PositiveIntegerField(
        verbose_name=_("未记入日志的逐条结果"),
        default=0,
        validators=COUNT,
    )

    scope_rules = ScopeRules(
        region=("device__producer__township", "device__organisation__region"),
        producer="device__producer_id",
        grants=READ_ONLY,
    )

    class Meta:
        verbose_name = _("设备上传记录")
        verbose_name_plural = _("设备上传记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["device", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.device.serial} {self.uid.hex[:8]} {self.get_status_display()}"


class SelfTestPlan(ScopedModel):
    """A producer's self-testing plan (自检计划): items and how often."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="test_plans",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("产品"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="test_plans",
    )
    method = models.CharField(
        verbose_name=_("检测方法"),
        max_length=8,
        choices=Method.choices,
    )
    items = models.CharField(
        verbose_name=_("检测项目"),
        max_length=200,
    )
    times = models.PositiveIntegerField(
        verbose_name=_("次数"),
        validators=between(1, 1000),
    )
    period = models.CharField(
        verbose_name=_("周期"),
        max_length=8,
        choices=Period.choices,
    )
    valid_from = models.DateField(
        verbose_name=_("执行起"),
        validators=ANY_DAY,
    )
    valid_to = models.DateField(
        verbose_name=_("执行止"),
        validators=ANY_DAY,
    )

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer="producer_id",
        grants=HELD_SCOPE.grants,
    )

    class Meta:
        verbose_name = _("自检计划")
        verbose_name_plural = _("自检计划")
        ordering = ["producer", "valid_from"]

    def __str__(self) -> str:
        return _("%(items)s %(times)s次/%(period)s") % {
            "items": self.items,
            "times": self.times,
            "period": self.get_period_display(),
        }

    def clean(self) -> None:
        """The plan ends after it starts."""
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("执行止不能早于执行起")})
