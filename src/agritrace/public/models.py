"""Scan records: every opening of a trace code's ID card (issue 7; 2021 notice: the ID card is
scanned by consumers and markets). Only coarse client information is kept: the kind of device
and app, the language, and the network prefix (/24 for IPv4, /48 for IPv6) — never a full
address."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agritrace.core.models import ScopedModel
from agritrace.core.permissions import READ_ONLY
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import PAST, between


class ScanEvent(ScopedModel):
    """One scan of one code. Written in bulk by ``public.scans`` (never edited or deleted)."""

    code = models.ForeignKey(
        "coding.TraceCode",
        verbose_name=_("追溯码"),
        on_delete=models.PROTECT,
        related_name="scan_events",
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    batch = models.ForeignKey(
        "production.Batch",
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属县"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scanned_at = models.DateTimeField(
        verbose_name=_("扫码时间"),
        db_index=True,
        validators=PAST,
    )
    client = models.CharField(
        verbose_name=_("客户端"),
        max_length=40,
        blank=True,
    )
    language = models.CharField(
        verbose_name=_("语言"),
        max_length=16,
        blank=True,
    )
    network = models.CharField(
        verbose_name=_("网络段"),
        max_length=50,
        blank=True,
        help_text=_("IPv4 /24 或 IPv6 /48，不保存完整地址"),
    )

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer="producer_id",
        grants=READ_ONLY,
    )

    class Meta:
        verbose_name = _("扫码记录")
        verbose_name_plural = _("扫码记录")
        ordering = ["-scanned_at", "-id"]
        indexes = [models.Index(fields=["code", "scanned_at"])]

    def __str__(self) -> str:
        return f"{self.code_id} {self.scanned_at:%Y-%m-%d %H:%M}"


class CardVersion(models.Model):
    """The version of a cached ID-card part (``kind`` batch or producer, and the object's id):
    changed whenever a record the part shows changes, and read in the same query as the code,
    so a card never shows a stale part and needs no cache invalidation across processes. Not
    shown to anyone."""

    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField(validators=between(1, 2**62))
    version = models.BigIntegerField(default=0, validators=between(0, 2**62))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="card_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} v{self.version}"
