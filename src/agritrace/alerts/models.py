"""Warnings (预警): one model for every rule of the platform that needs a regulator's attention,
raised by the domains through :func:`agritrace.alerts.services.raise_warning`; follow-ups.

The tables kept their names from when these models lived in ``supervision``
(``supervision_warning``, ``supervision_followup``): the move changed no table."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agritrace.core.models import ScopedModel
from agritrace.core.permissions import ALL_ROLES, NOBODY, ORGANISATION_ROLES
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import ANY_DAY, PAST
from agritrace.regions.models import Region


class WarningKind(models.TextChoices):
    """What raised the warning."""

    CERTIFICATION_EXPIRING = "certification_expiring", _("认证即将到期")
    CERTIFICATION_EXPIRED = "certification_expired", _("认证已过期")
    POSITIVE_TEST = "positive_test", _("检测阳性/不合格")
    UPLOAD_CONFLICT = "upload_conflict", _("设备上传记录冲突")
    COUNTERFEIT_SCAN = "counterfeit_scan", _("疑似仿冒扫码")
    CAMERA_OFFLINE = "camera_offline", _("视频离线")
    COMPLAINT_OVERDUE = "complaint_overdue", _("投诉超期未处理")
    ID_CARD_MISSING = "id_card_missing", _("未实行“身份证”管理")


class Severity(models.TextChoices):
    """How urgent."""

    INFO = "info", _("提示")
    WARNING = "warning", _("警告")
    CRITICAL = "critical", _("严重")


class WarningStatus(models.TextChoices):
    """Handling status."""

    OPEN = "open", _("待处理")
    ACKNOWLEDGED = "acknowledged", _("已知悉")
    CLOSED = "closed", _("已关闭")


class Warning(ScopedModel):
    """A warning about one subject (a certification, a test, a code, a camera…), placed in a
    region (and a producer when there is one) so that the regulators in scope see it."""

    kind = models.CharField(
        verbose_name=_("预警类型"),
        max_length=32,
        choices=WarningKind.choices,
        db_index=True,
    )
    severity = models.CharField(
        verbose_name=_("级别"),
        max_length=10,
        choices=Severity.choices,
        default=Severity.WARNING,
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.CharField(
        verbose_name=_("对象 ID"),
        max_length=64,
    )
    subject = GenericForeignKey("subject_type", "subject_id")
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
    )
    title = models.CharField(
        verbose_name=_("标题"),
        max_length=200,
    )
    detail = models.TextField(
        verbose_name=_("详情"),
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=12,
        choices=WarningStatus.choices,
        default=WarningStatus.OPEN,
        db_index=True,
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
    handling_note = models.CharField(
        verbose_name=_("处理意见"),
        max_length=500,
        blank=True,
    )

    scope_rules = ScopeRules(
        region=("region",),
        producer="producer_id",
        grants={"view": ALL_ROLES, "add": NOBODY, "change": ORGANISATION_ROLES, "delete": NOBODY},
    )

    class Meta:
        db_table = "supervision_warning"
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=~Q(status="closed"),
                name="warning_one_unclosed_per_subject",
            )
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return self.title


class FollowUpStatus(models.TextChoices):
    """Follow-up status."""

    OPEN = "open", _("处理中")
    CLOSED = "closed", _("已办结")


class FollowUp(ScopedModel):
    """A follow-up item for regulators (e.g. after a positive test): who must act, by when."""

    title = models.CharField(
        verbose_name=_("事项"),
        max_length=200,
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("承办机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    warning = models.ForeignKey(
        Warning,
        verbose_name=_("预警"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField(
        verbose_name=_("办理期限"),
        validators=ANY_DAY,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=8,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
    )
    resolution = models.TextField(
        verbose_name=_("办理结果"),
        blank=True,
    )
    closed_at = models.DateTimeField(
        verbose_name=_("办结时间"),
        null=True,
        blank=True,
        validators=PAST,
    )

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer=None,
        grants={
            "view": ORGANISATION_ROLES,
            "add": NOBODY,
            "change": ORGANISATION_ROLES,
            "delete": NOBODY,
        },
    )

    class Meta:
        db_table = "supervision_followup"
        verbose_name = _("跟进事项")
        verbose_name_plural = _("跟进事项")
        ordering = ["status", "due_on"]

    def __str__(self) -> str:
        return self.title
