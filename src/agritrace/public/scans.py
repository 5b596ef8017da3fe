"""Recording scans without slowing the page (issue 7, point 2).

A request appends its scan to this process's buffer; a daemon thread writes the buffer every
``AGRITRACE_SCAN_FLUSH_MS`` milliseconds (or as soon as it holds ``FLUSH_SIZE`` scans) with one bulk
INSERT of the scan events and one UPDATE of the codes' counters, then checks the codes it touched
for counterfeit patterns. The buffer is also written at exit. With
``AGRITRACE_SCAN_FLUSH_MS = 0`` every scan is written at once in the request (tests).
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agritrace.alerts.models import Severity, WarningKind
from agritrace.alerts.services import raise_warning
from agritrace.coding.models import TraceCode
from agritrace.public.models import ScanEvent

logger = logging.getLogger(__name__)
#: A flush is triggered at once when the buffer holds this many scans.
FLUSH_SIZE = 1000
#: Lookback of the "many places" rule.
PLACES_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Scan:
    """One scan waiting to be written."""

    code_id: int
    producer_id: int
    batch_id: int | None
    county_id: int
    at: datetime
    client: str
    language: str
    network: str


def network_of(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of a client address; '' when it is not one."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_of(user_agent: str) -> str:
    """A coarse client label: the app (WeChat, Alipay, DingTalk, browser) and the system."""
    ua = user_agent.lower()
    app = next(
        (name for key, name in (("micromessenger", "WeChat"), ("alipay", "Alipay"),
                                ("dingtalk", "DingTalk"), ("qq/", "QQ")) if key in ua),
        "Browser",
    )  # fmt: skip
    system = next(
        (name for key, name in (("android", "Android"), ("iphone", "iOS"), ("ipad", "iOS"),
                                ("harmonyos", "HarmonyOS"), ("windows", "Windows"),
                                ("mac os", "macOS"), ("linux", "Linux")) if key in ua),
        "Other",
    )  # fmt: skip
    return f"{app}/{system}"


class Buffer:
    """This process's pending scans and the thread that writes them."""

    def __init__(self) -> None:
        self.pending: list[Scan] = []
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def add(self, scan: Scan) -> None:
        """Queue a scan (or write it at once when buffering is off)."""
        if settings.AGRITRACE_SCAN_FLUSH_MS <= 0:
            write([scan])
            return
        with self.lock:
            self.pending.append(scan)
            full = len(self.pending) >= FLUSH_SIZE
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="scan-writer", daemon=True)
                self.thread.start()
        if full:
            self.wake.set()

    def flush(self) -> int:
        """Write what is pending now; the number written."""
        with self.lock:
            taken, self.pending = self.pending, []
        if taken:
            write(taken)
        return len(taken)

    def _run(self) -> None:
        """Write every ``AGRITRACE_SCAN_FLUSH_MS``; when buffering is turned off meanwhile,
        write what is left and stop (a zero wait would spin)."""
        while True:
            interval = settings.AGRITRACE_SCAN_FLUSH_MS
            if interval > 0:
                self.wake.wait(interval / 1000)
                self.wake.clear()
            try:
                self.flush()
            except Exception:  # the writer must outlive a database hiccup
                logger.exception("writing scans failed")
            finally:
                close_old_connections()
            if interval <= 0:
                return


BUFFER = Buffer()
atexit.register(BUFFER.flush)


def write(scans: list[Scan]) -> None:
    """One INSERT of the events, one UPDATE of the counters, then the counterfeit checks."""
    with transaction.atomic():
        ScanEvent.objects.bulk_create(
            [
                ScanEvent(
                    code_id=s.code_id,
                    producer_id=s.producer_id,
                    batch_id=s.batch_id,
                    county_id=s.county_id,
                    scanned_at=s.at,
                    client=s.client,
                    language=s.language,
                    network=s.network,
                    created_at=s.at,
                    updated_at=s.at,
                )
                for s in scans
            ]
        )
        counts = Counter(s.code_id for s in scans)
        first = {}
        for s in scans:
            first.setdefault(s.code_id, s.at)
        totals = _add_counts(counts, first)
    # only a code scanned often enough can break either rule
    least = min(settings.AGRITRACE_SCAN_SUSPECT_COUNT + 1, settings.AGRITRACE_SCAN_SUSPECT_PLACES)
    check_counterfeit([code_id for code_id, total in totals.items() if total >= least])


def _add_counts(counts: Counter[int], first: dict[int, datetime]) -> dict[int, int]:
    """Raise the codes' counters; their new totals."""
    table = connection.ops.quote_name(TraceCode._meta.db_table)
    rows = ", ".join(["(%s, %s, %s)"] * len(counts))
    params: list[object] = []
    for code_id, n in counts.items():
        params += [code_id, n, first[code_id]]
    cast = "::timestamptz" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v(id, n, first) AS (VALUES {rows}) "
            f"UPDATE {table} SET scans = {table}.scans + v.n, "
            f"first_scanned_at = COALESCE({table}.first_scanned_at, v.first{cast}) "
            f"FROM v WHERE {table}.id = v.id RETURNING {table}.id, {table}.scans",
            params,
        )
        return dict(cursor.fetchall())


def check_counterfeit(code_ids: list[int]) -> None:
    """A code scanned far more often than one package would be
    (``AGRITRACE_SCAN_SUSPECT_COUNT``) or from many networks within a week
    (``AGRITRACE_SCAN_SUSPECT_PLACES``) raises a counterfeit warning for the producer's township
    and county (issue 7: a copied label)."""
    if not code_ids:
        return
    limit = settings.AGRITRACE_SCAN_SUSPECT_COUNT
    places = settings.AGRITRACE_SCAN_SUSPECT_PLACES
    since = timezone.now() - PLACES_WINDOW
    spread = dict(
        ScanEvent.objects.filter(code_id__in=code_ids, scanned_at__gte=since)
        .exclude(network="")
        .values("code_id")
        .annotate(n=Count("network", distinct=True))
        .filter(n__gte=places)
        .values_list("code_id", "n")
    )
    suspects = (
        TraceCode.objects.filter(pk__in=code_ids)
        .filter(Q(scans__gt=limit) | Q(pk__in=list(spread)))
        .select_related("producer__township")
    )
    for code in suspects:
        raise_warning(
            WarningKind.COUNTERFEIT_SCAN,
            code,
            region=code.producer.township,
            producer=code.producer,
            severity=Severity.WARNING,
            title=_("追溯码 %(code)s 疑似被仿冒：已扫码 %(n)s 次，%(places)s 个网络")
            % {"code": code.code, "n": code.scans, "places": spread.get(code.pk, "—")},
            detail=_("同一包装的追溯码通常只被扫码几次；请核查该批次的标签是否被复制。"),
        )
