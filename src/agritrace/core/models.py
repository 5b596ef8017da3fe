"""Base models and the central change log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agritrace.core.scoping import RestrictedQuerySet
from agritrace.core.validators import PAST, between


class TimeStampedModel(models.Model):
    """Creation and last-change times."""

    created_at = models.DateTimeField(
        verbose_name=_("创建时间"),
        auto_now_add=True,
    )
    updated_at = models.DateTimeField(
        verbose_name=_("更新时间"),
        auto_now=True,
    )

    class Meta:
        abstract = True


class ScopedModel(TimeStampedModel):
    """A model read through ``restrict(user, action)``; subclasses declare ``scope_rules``."""

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        """The object's page: ``<app>:<model>_detail``."""
        return reverse(f"{self._meta.app_label}:{self._meta.model_name}_detail", args=[self.pk])


class ChangeAction(models.TextChoices):
    """What happened to an object."""

    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


class ChangeRecord(models.Model):
    """One change to one object: who, when, what, and the values before and after.

    Written only by ``core.changelog`` (signals), never by views.
    """

    time = models.DateTimeField(
        verbose_name=_("时间"),
        auto_now_add=True,
        db_index=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(
        verbose_name=_("操作人账号"),
        max_length=150,
        blank=True,
    )
    source = models.CharField(
        verbose_name=_("来源"),
        max_length=200,
        blank=True,
        help_text=_("请求地址或命令名"),
    )
    remote_addr = models.GenericIPAddressField(
        verbose_name=_("IP 地址"),
        null=True,
        blank=True,
    )
    action = models.CharField(
        verbose_name=_("操作"),
        max_length=10,
        choices=ChangeAction.choices,
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(
        verbose_name=_("对象 ID"),
        max_length=64,
    )
    object_repr = models.CharField(
        verbose_name=_("对象"),
        max_length=200,
    )
    before = models.JSONField(
        verbose_name=_("修改前"),
        encoder=DjangoJSONEncoder,
        null=True,
        blank=True,
    )
    after = models.JSONField(
        verbose_name=_("修改后"),
        encoder=DjangoJSONEncoder,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def changed_fields(self) -> list[str]:
        """Names of the fields whose value differs between before and after."""
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


class PeriodicRun(models.Model):
    """When a periodic job (``agritrace.core.periodic``) was last put on the task queue: the
    row every scheduler claims with a conditional UPDATE before enqueuing the job."""

    name = models.CharField(
        verbose_name=_("任务"),
        max_length=100,
        unique=True,
    )
    last_enqueued_at = models.DateTimeField(
        verbose_name=_("上次排队时间"),
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    """Where an import job stands."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    SUCCEEDED = "succeeded", _("已导入")
    FAILED = "failed", _("未导入")


def import_upload_to(instance: ImportJob, filename: str) -> str:
    """Uploaded workbooks are stored under a random name (the original is kept in the job)."""
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportJob(TimeStampedModel):
    """One uploaded Excel import, run in the background: progress, outcome, per-row errors."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    kind = models.CharField(
        verbose_name=_("数据类型"),
        max_length=40,
    )
    file = models.FileField(
        verbose_name=_("Excel 文件"),
        upload_to=import_upload_to,
        validators=[FileExtensionValidator(["xlsx"])],
        help_text=_("请使用下载的模板（.xlsx）填写"),
    )
    filename = models.CharField(
        verbose_name=_("文件名"),
        max_length=200,
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=10,
        choices=ImportStatus.choices,
        default=ImportStatus.QUEUED,
        db_index=True,
    )
    total_rows = models.PositiveIntegerField(
        verbose_name=_("总行数"),
        default=0,
        validators=between(0, 10**9),
    )
    processed_rows = models.PositiveIntegerField(
        verbose_name=_("已处理行数"),
        default=0,
        validators=between(0, 10**9),
    )
    created_count = models.PositiveIntegerField(
        verbose_name=_("导入条数"),
        default=0,
        validators=between(0, 10**9),
    )
    message = models.CharField(
        verbose_name=_("说明"),
        max_length=500,
        blank=True,
    )
    errors = models.JSONField(
        verbose_name=_("错误报告"),
        default=list,
        blank=True,
        help_text=_("每项为 [行号, 列, 原因]"),
    )
    started_at = models.DateTimeField(
        verbose_name=_("开始时间"),
        null=True,
        blank=True,
        validators=PAST,
    )
    finished_at = models.DateTimeField(
        verbose_name=_("结束时间"),
        null=True,
        blank=True,
        validators=PAST,
    )

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    def get_absolute_url(self) -> str:
        """The job's page."""
        return reverse("imports:job", args=[self.pk])

    @property
    def kind_label(self) -> str:
        """The importer's label (the kind itself if no importer has it any more)."""
        from agritrace.core.imports.importer import get_importer

        try:
            return str(get_importer(self.kind).label)
        except LookupError:
            return self.kind

    @property
    def finished(self) -> bool:
        """Whether the job has stopped (imported or not)."""
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        """Progress, 0–100."""
        if self.finished:
            return 100
        return min(99, self.processed_rows * 100 // self.total_rows) if self.total_rows else 0
