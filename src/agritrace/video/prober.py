"""Probing an HLS source (2021 notice Annex 6: HLS; Annex 2 "5G技术": 视频在线, 流畅观看).

One probe, given the camera's URL and the media sequence seen by its previous probe:

1. Fetch the playlist (:mod:`agritrace.video.safefetch`: SSRF-safe, timeouts, size cap). A
   master playlist is followed to its lowest-bandwidth variant (the first of equals), whose URL
   is checked before it is fetched. Every segment URL of the media playlist is checked too.
2. Judge:

   - **invalid**: the URL (or a redirect, variant or segment URL) is refused by the SSRF rules,
     or the body is not an HLS media playlist (no ``#EXTM3U`` header, garbage, HTML, a master
     playlist pointing to another master, no segments);
   - **offline**: the name does not resolve, the connection is refused or times out, an HTTP
     error (4xx/5xx) answers the playlist or its newest segment, or the body is too large;
   - **online**: a live playlist (no ``EXT-X-ENDLIST``, not VOD) where at least one holds:
     (a) the media sequence differs from the previous probe's (it advanced; a lower number
     means the encoder restarted, which is alive too); (b) the newest segment is *fresh*: its
     ``EXT-X-PROGRAM-DATE-TIME`` is at most ``max(30 s, 3 × target duration)`` before now;
     (c) this is the camera's first probe and the playlist carries no program date-time, so
     that a reachable live playlist is the only evidence there can be;
   - **stalled**: a valid media playlist that is not online (frozen sequence and no fresh
     date-time, a stale date-time on the first probe, or a finished VOD playlist).

3. For an online stream, download the newest segment and time it: **smooth** when it arrives
   in less time than it plays (``download_seconds < segment_duration``). Downloads are cut off
   at ``max(4 s, 2 × duration)`` (not smooth).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import httpx
import m3u8
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.video import safefetch
from agritrace.video.choices import ProbeStatus

PLAYLIST_MAX_BYTES = 512 * 1024
SEGMENT_MAX_BYTES = 32 * 1024 * 1024
FRESH_MIN_SECONDS = 30.0
FRESH_TARGET_DURATIONS = 3


@dataclass
class Outcome:
    """What a probe found (stored as a :class:`agritrace.video.models.Probe`)."""

    status: str
    playlist_url: str = ""
    media_sequence: int | None = None
    target_duration: float | None = None
    segment_age: float | None = None
    segment_duration: float | None = None
    download_seconds: float | None = None
    smooth: bool | None = None
    error: str = ""
    notes: list[str] = field(default_factory=list)


class _Invalid(Exception):
    """The body is not a usable HLS media playlist."""


def _parse(fetched: safefetch.Fetched) -> m3u8.M3U8:
    try:
        text = fetched.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Invalid(_("播放列表不是 UTF-8 文本。")) from None
    if not text.lstrip().startswith("#EXTM3U"):
        raise _Invalid(_("不是 HLS 播放列表（缺少 #EXTM3U 开头）。"))
    try:
        return m3u8.loads(text, uri=fetched.url)
    except Exception as exc:  # m3u8 raises plain exceptions on malformed tags
        raise _Invalid(_("播放列表格式错误：%(error)s") % {"error": exc}) from None


def _media_playlist(url: str) -> tuple[m3u8.M3U8, str]:
    """The media playlist behind ``url`` (following a master playlist once) and its URL."""
    fetched = safefetch.fetch(url, max_bytes=PLAYLIST_MAX_BYTES)
    playlist = _parse(fetched)
    if playlist.is_variant:
        variants = [v for v in playlist.playlists if v.absolute_uri]
        if not variants:
            raise _Invalid(_("主播放列表中没有码流。"))
        chosen = min(variants, key=lambda v: v.stream_info.bandwidth or 0)
        fetched = safefetch.fetch(chosen.absolute_uri, max_bytes=PLAYLIST_MAX_BYTES)
        playlist = _parse(fetched)
        if playlist.is_variant:
            raise _Invalid(_("码流播放列表又是主播放列表。"))
    if not playlist.segments:
        raise _Invalid(_("播放列表中没有视频分片。"))
    return playlist, fetched.url


def _check_segment_urls(playlist: m3u8.M3U8) -> None:
    """Every segment's origin passes the SSRF rules (each origin resolved once)."""
    seen: set[tuple[str, str, int | None]] = set()
    for segment in playlist.segments:
        try:
            url = httpx.URL(segment.absolute_uri)
        except httpx.InvalidURL as exc:
            raise safefetch.Refused(str(exc)) from None
        origin = (url.scheme, url.host, url.port)
        if origin not in seen:
            seen.add(origin)
            safefetch.vet(url)


def fresh_window(target_duration: float | None) -> float:
    """How old the newest segment may be and still count as fresh, in seconds."""
    return max(FRESH_MIN_SECONDS, FRESH_TARGET_DURATIONS * (target_duration or 0))


def probe_url(
    url: str, *, previous_sequence: int | None, now: dt.datetime | None = None
) -> Outcome:
    """Probe ``url`` and judge it by the rules in this module's docstring."""
    now = now or timezone.now()
    try:
        playlist, playlist_url = _media_playlist(url)
        _check_segment_urls(playlist)
    except safefetch.Refused as exc:
        return Outcome(status=ProbeStatus.INVALID, error=str(exc))
    except _Invalid as exc:
        return Outcome(status=ProbeStatus.INVALID, error=str(exc))
    except safefetch.FetchError as exc:
        return Outcome(status=ProbeStatus.OFFLINE, error=str(exc))

    newest = playlist.segments[-1]
    outcome = Outcome(
        status=ProbeStatus.STALLED,
        playlist_url=playlist_url,
        media_sequence=int(playlist.media_sequence or 0),
        target_duration=float(playlist.target_duration) if playlist.target_duration else None,
        segment_duration=float(newest.duration) if newest.duration else None,
    )
    started_at = newest.current_program_date_time
    if started_at is not None:
        if started_at.tzinfo is None:
            started_at = started_at.replace(tzinfo=dt.UTC)
        outcome.segment_age = (now - started_at).total_seconds()
    live = not playlist.is_endlist and (playlist.playlist_type or "").lower() != "vod"
    fresh = outcome.segment_age is not None and outcome.segment_age <= fresh_window(
        outcome.target_duration
    )
    advanced = previous_sequence is not None and outcome.media_sequence != previous_sequence
    first_without_clock = previous_sequence is None and outcome.segment_age is None
    if not live:
        outcome.error = _("播放列表已结束（EXT-X-ENDLIST/VOD），不是直播。")
        return outcome
    if not (advanced or fresh or first_without_clock):
        outcome.error = _("媒体序号未前进，最新分片不新鲜：画面可能停滞。")
        return outcome
    outcome.status = ProbeStatus.ONLINE
    _time_segment(outcome, newest.absolute_uri)
    return outcome


def _time_segment(outcome: Outcome, segment_url: str) -> None:
    """Download the newest segment and compare its download time with its duration."""
    duration = outcome.segment_duration or 0.0
    try:
        fetched = safefetch.fetch(
            segment_url, max_bytes=SEGMENT_MAX_BYTES, max_seconds=max(4.0, 2 * duration)
        )
    except safefetch.Refused as exc:
        outcome.status = ProbeStatus.INVALID
        outcome.error = str(exc)
        return
    except safefetch.TooSlow as exc:
        outcome.download_seconds = exc.elapsed
        outcome.smooth = False
        outcome.error = _("分片下载慢于实时：%(error)s") % {"error": exc}
        return
    except safefetch.TooLarge as exc:
        outcome.smooth = False
        outcome.error = _("分片过大：%(error)s") % {"error": exc}
        return
    except safefetch.FetchError as exc:
        outcome.status = ProbeStatus.OFFLINE
        outcome.smooth = False
        outcome.error = _("分片下载失败：%(error)s") % {"error": exc}
        return
    outcome.download_seconds = fetched.seconds
    outcome.smooth = bool(duration) and fetched.seconds < duration
