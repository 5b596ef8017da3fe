"""Complaints from the public (投诉举报, 2020 spec Art. 23). Warnings and follow-ups live in
``agritrace.alerts``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agritrace.core.models import ScopedModel, TimeStampedModel
from agritrace.core.permissions import NOBODY, ORGANISATION_ROLES, REGISTRARS, Role
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import ANY_DAY, PAST, between, validate_phone
from agritrace.regions.models import Region


class ComplaintCategory(models.TextChoices):
    """What the public complains about (2020 spec Art. 23 投诉举报)."""

    QUALITY = "quality", _("质量安全问题")
    COUNTERFEIT = "counterfeit", _("疑似假冒追溯码")
    LABEL = "label", _("标签或合格证问题")
    MISUSE = "misuse", _("违规使用农药兽药")
    SALES = "sales", _("价格或销售问题")
    OTHER = "other", _("其他")


class ComplaintStatus(models.TextChoices):
    """received → handling → resolved or rejected (both closed)."""

    RECEIVED = "received", _("已受理")
    HANDLING = "handling", _("处理中")
    RESOLVED = "resolved", _("已办结")
    REJECTED = "rejected", _("不予处理")


#: Complaints whose handling is finished.
CLOSED_COMPLAINT = frozenset({ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED})
#: Random characters of a tracking number (50 bits), before its check character.
TRACKING_PAYLOAD = 10
TRACKING_LENGTH = TRACKING_PAYLOAD + 1
#: Regulators who handle complaints: registrars (supervision stations) and enforcers.
COMPLAINT_HANDLERS = REGISTRARS | {Role.ENFORCER}


class Complaint(ScopedModel):
    """A complaint or report from the public (2020 spec Art. 23 "及时受理投诉举报"; Annex 2
    item 15), routed to the county and township of the producer whose code it came from (or
    to the county the complainant chose) and handled by a deadline. Producers never see it:
    a report protects the person who made it. Kept: nobody deletes a complaint."""

    number = models.CharField(
        verbose_name=_("受理编号"),
        max_length=TRACKING_LENGTH,
        unique=True,
        editable=False,
    )
    category = models.CharField(
        verbose_name=_("类别"),
        max_length=12,
        choices=ComplaintCategory.choices,
    )
    description = models.TextField(
        verbose_name=_("投诉内容"),
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
    )
    contact_name = models.CharField(
        verbose_name=_("联系人"),
        max_length=50,
        blank=True,
    )
    contact_phone = models.CharField(
        verbose_name=_("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
    )
    code_text = models.CharField(
        verbose_name=_("所扫追溯码"),
        max_length=300,
        blank=True,
        help_text=_("投诉人提交的追溯码原文"),
    )
    trace_code = models.ForeignKey(
        "coding.TraceCode",
        verbose_name=_("追溯码"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("被投诉主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    batch = models.ForeignKey(
        "production.Batch",
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    county = models.ForeignKey(
        Region,
        verbose_name=_("承办县市区"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    township = models.ForeignKey(
        Region,
        verbose_name=_("承办乡镇"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="township_complaints",
    )
    due_on = models.DateField(
        verbose_name=_("办理期限"),
        validators=ANY_DAY,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    reply = models.TextField(
        verbose_name=_("答复（公开）"),
        max_length=2000,
        blank=True,
        validators=[MaxLengthValidator(2000)],
    )
    internal_note = models.TextField(
        verbose_name=_("内部处理记录"),
        max_length=2000,
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text=_("仅监管人员可见，不对外公开"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(
        verbose_name=_("处理时间"),
        null=True,
        blank=True,
        validators=PAST,
    )

    scope_rules = ScopeRules(
        region=("township", "county"),
        producer=None,
        grants={
            "view": ORGANISATION_ROLES,
            "add": NOBODY,
            "change": COMPLAINT_HANDLERS,
            "delete": NOBODY,
        },
        # the complainant's phone: in full only for those who may handle the complaint
        unmasked_for="change",
    )

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["county", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def tracking_number(self) -> str:
        """The number as people read and type it: ``TS-XXXX-XXXX-XXX``."""
        n = self.number
        return f"TS-{n[:4]}-{n[4:8]}-{n[8:]}" if n else ""

    @property
    def is_closed(self) -> bool:
        """Resolved or rejected."""
        return self.status in CLOSED_COMPLAINT

    @property
    def overdue(self) -> bool:
        """Still open after its deadline."""
        return not self.is_closed and self.due_on < timezone.localdate()


def complaint_photo_path(instance: ComplaintPhoto, filename: str) -> str:
    """Random names: a photo's URL reveals nothing and cannot be guessed."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"complaints/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ComplaintPhoto(TimeStampedModel):
    """A photo attached to a complaint (up to three), re-encoded without EXIF/GPS metadata.
    Served only through the regulators' scoped page, never as a public media URL."""

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("投诉举报"),
        on_delete=models.PROTECT,
        related_name="photos",
    )
    image = models.ImageField(
        verbose_name=_("照片"),
        upload_to=complaint_photo_path,
    )
    width = models.PositiveIntegerField(
        verbose_name=_("宽（像素）"),
        default=0,
        validators=between(1, 100_000),
    )
    height = models.PositiveIntegerField(
        verbose_name=_("高（像素）"),
        default=0,
        validators=between(1, 100_000),
    )

    class Meta:
        verbose_name = _("投诉照片")
        verbose_name_plural = _("投诉照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name
