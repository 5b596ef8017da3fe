"""Cameras at quality-control points and the probes of their HLS streams (2021 notice Annex 2
"5G技术"; Annex 6 企业视频对接说明: HLS ``.m3u8`` sources that Android/iOS play natively)."""

from __future__ import annotations

from typing import Any, NoReturn
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agritrace.core.models import ScopedModel
from agritrace.core.permissions import MAINTAINERS, maintained_by
from agritrace.core.scoping import RestrictedQuerySet, ScopeRules
from agritrace.core.validators import PAST, between
from agritrace.producers.models import Producer
from agritrace.video import safefetch
from agritrace.video.choices import PointType, ProbeStatus, ProbeTrigger

HLS_URL_MAX_LENGTH = 500
#: Bounds of a probe's figures. RFC 8216 §4.3.3.2: the media sequence is a decimal-integer
#: (0 up), here within the signed 64-bit column; durations (§4.3.2.1 EXTINF, §4.3.3.1
#: EXT-X-TARGETDURATION) of at most an hour; a download cut off long before a day; a segment
#: dated at most a year ahead (a camera clock set wrong) or a century back.
MEDIA_SEQUENCE_MAX = 2**63 - 1
DURATION_MAX_SECONDS = 3600.0
DOWNLOAD_MAX_SECONDS = 86400.0
SEGMENT_AGE_SECONDS = (-366 * 86400.0, 100 * 366 * 86400.0)
#: The probe fields holding figures read from the stream.
FIGURES = (
    "media_sequence",
    "target_duration",
    "segment_age",
    "segment_duration",
    "download_seconds",
)


def validate_hls_url(value: str) -> None:
    """An HLS source is an absolute http(s) URL whose path ends in ``.m3u8`` (Annex 6: "采用
    HLS 协议"), without user name or password in it, that the prober may fetch: the SSRF rules
    of :func:`agritrace.video.safefetch.vet` are applied when the URL is entered (form, API,
    admin, import: all go through this field), not only when it is probed. A host name that
    does not resolve now is accepted (the probe reports it offline); one that resolves to an
    internal address is refused, as the probe would."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ValidationError(_("地址格式不正确。"), code="hls_url") from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError(_("只接受 http:// 或 https:// 开头的地址。"), code="hls_scheme")
    if not parts.hostname:
        raise ValidationError(_("地址缺少主机名。"), code="hls_host")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(_("地址中不能包含用户名或密码。"), code="hls_userinfo")
    if port == 0:
        raise ValidationError(_("端口号不正确。"), code="hls_port")
    if not parts.path.lower().endswith(".m3u8"):
        raise ValidationError(
            _(
                "须为 HLS 播放地址（路径以 .m3u8 结尾），例如 http://hls01open.ys7.com/openlive/….m3u8。"
            ),
            code="hls_path",
        )
    if any(ch.isspace() for ch in value):
        raise ValidationError(_("地址中不能有空格。"), code="hls_space")
    try:
        safefetch.vet(value)
    except safefetch.Refused as exc:
        raise ValidationError(str(exc), code="hls_refused") from None
    except safefetch.FetchError:
        pass  # not resolvable now: a network state, judged by each probe (offline)


class CameraQuerySet(RestrictedQuerySet):
    """Cameras, with their latest probe when asked."""

    def with_latest_probe(self) -> CameraQuerySet:
        """Annotate ``latest_status`` and ``latest_time`` from each camera's newest probe."""
        newest = Probe.objects.filter(camera=OuterRef("pk")).order_by("-time", "-pk")
        return self.annotate(
            latest_status=Subquery(newest.values("status")[:1]),
            latest_time=Subquery(newest.values("time")[:1]),
        )


class Camera(ScopedModel):
    """A camera at one of a producer's quality-control points, with its HLS source."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="cameras",
    )
    point_type = models.CharField(
        verbose_name=_("监控点类型"),
        max_length=20,
        choices=PointType.choices,
    )
    name = models.CharField(
        verbose_name=_("名称"),
        max_length=100,
    )
    base = models.ForeignKey(
        "producers.ProductionBase",
        verbose_name=_("所在基地"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cameras",
    )
    location = models.CharField(
        verbose_name=_("安装位置"),
        max_length=200,
        blank=True,
    )
    hls_url = models.CharField(
        verbose_name=_("HLS 播放地址"),
        max_length=HLS_URL_MAX_LENGTH,
        validators=[validate_hls_url],
        help_text=_("http(s) 开头、.m3u8 结尾，例如萤石云开放平台“直播地址”中的 HLS 地址"),
    )
    provider_note = models.CharField(
        verbose_name=_("视频服务商说明"),
        max_length=200,
        blank=True,
        help_text=_("例如：萤石云免费版（最多 10 路直播、3 人同时观看）"),
    )
    active = models.BooleanField(
        verbose_name=_("启用"),
        default=True,
    )

    objects = CameraQuerySet.as_manager()

    scope_rules = ScopeRules(
        region=("producer__township",),
        producer="producer_id",
        grants=maintained_by(MAINTAINERS),
    )

    class Meta:
        verbose_name = _("摄像头")
        verbose_name_plural = _("摄像头")
        ordering = ["producer", "point_type", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The base belongs to the same producer; at most ``AGRITRACE_VIDEO_CAMERA_LIMIT`` active
        cameras per producer (Annex 6: the free plan opens at most 10 live cameras)."""
        super().clean()
        errors: dict[str, Any] = {}
        if self.base_id and self.producer_id and self.base.producer_id != self.producer_id:
            errors["base"] = _("所选基地不属于该生产经营主体。")
        limit_error = self.limit_error()
        if limit_error:
            errors["active"] = limit_error
        if errors:
            raise ValidationError(errors)

    def limit_error(self) -> str:
        """The message when saving this camera would exceed the producer's limit, else ''."""
        if not self.active or not self.producer_id:
            return ""
        limit = settings.AGRITRACE_VIDEO_CAMERA_LIMIT
        others = Camera.objects.filter(producer_id=self.producer_id, active=True)
        if self.pk:
            others = others.exclude(pk=self.pk)
        count = others.count()
        if count < limit:
            return ""
        return str(
            _(
                "每个生产经营主体最多启用 %(limit)d 个摄像头（已启用 %(count)d 个），"
                "请先停用不用的摄像头。"
            )
            % {"limit": limit, "count": count}
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Re-checks the limit with the producer row locked, so two saves at once cannot both
        take the last place."""
        with transaction.atomic():
            if self.active and self.producer_id:
                Producer.objects.select_for_update().filter(pk=self.producer_id).exists()
                message = self.limit_error()
                if message:
                    raise ValidationError({"active": message})
            super().save(*args, **kwargs)


class ProbeQuerySet(models.QuerySet):
    """Probes are records: never updated or deleted in bulk either."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("probe results are records and are never edited")

    def delete(self) -> NoReturn:
        raise TypeError("probe results are records and are never deleted")


class Probe(models.Model):
    """One check of a camera's HLS stream (see :mod:`agritrace.video.prober` for the rules).

    Kept for ever, never edited: the online rate of every period is computed from them. Read
    them through their camera (``Camera.objects.restrict``), they have no scope of their own.
    """

    camera = models.ForeignKey(
        Camera,
        verbose_name=_("摄像头"),
        on_delete=models.PROTECT,
        related_name="probes",
    )
    time = models.DateTimeField(
        verbose_name=_("检测时间"),
        default=timezone.now,
        db_index=True,
        validators=PAST,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=10,
        choices=ProbeStatus.choices,
    )
    trigger = models.CharField(
        verbose_name=_("检测方式"),
        max_length=10,
        choices=ProbeTrigger.choices,
        default=ProbeTrigger.SCHEDULED,
    )
    playlist_url = models.CharField(
        verbose_name=_("媒体播放列表地址"),
        max_length=1000,
        blank=True,
    )
    media_sequence = models.BigIntegerField(
        verbose_name=_("媒体序号"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MEDIA_SEQUENCE_MAX)],
    )
    target_duration = models.FloatField(
        verbose_name=_("目标分片时长（秒）"),
        null=True,
        blank=True,
        validators=between(0, DURATION_MAX_SECONDS),
    )
    segment_age = models.FloatField(
        verbose_name=_("最新分片距今（秒）"),
        null=True,
        blank=True,
        help_text=_("由 EXT-X-PROGRAM-DATE-TIME 计算；播放列表没有时为空"),
        validators=between(*SEGMENT_AGE_SECONDS),
    )
    segment_duration = models.FloatField(
        verbose_name=_("分片时长（秒）"),
        null=True,
        blank=True,
        validators=between(0, DURATION_MAX_SECONDS),
    )
    download_seconds = models.FloatField(
        verbose_name=_("分片下载用时（秒）"),
        null=True,
        blank=True,
        validators=between(0, DOWNLOAD_MAX_SECONDS),
    )
    smooth = models.BooleanField(
        verbose_name=_("流畅"),
        null=True,
        blank=True,
        help_text=_("分片下载用时短于其播放时长"),
    )
    error = models.TextField(
        verbose_name=_("错误信息"),
        blank=True,
    )

    objects = ProbeQuerySet.as_manager()

    class Meta:
        verbose_name = _("视频检测记录")
        verbose_name_plural = _("视频检测记录")
        ordering = ["-time", "-pk"]
        indexes = [models.Index(fields=["camera", "time"], name="video_probe_camera_time")]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.time:%Y-%m-%d %H:%M:%S} {self.get_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Only new probes are saved."""
        if not self._state.adding:
            raise TypeError("probe results are records and are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("probe results are records and are never deleted")

    @property
    def ratio(self) -> float | None:
        """Segment download time ÷ segment duration (below 1 plays smoothly)."""
        if self.download_seconds is None or not self.segment_duration:
            return None
        return self.download_seconds / self.segment_duration
