"""Per-client request limits for public pages, on Django's cache (files embedded, Redis in
production, shared by every web process): a counter per client and fixed window."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the web server saw it (behind nginx, set ``REMOTE_ADDR`` from
    the proxy with ``real_ip``; headers the client may forge are not read here)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events of kind ``scope`` per client per ``seconds``; ``client`` names
    the client of a request (its address by default)."""

    scope: str
    count: int
    seconds: int
    client: Callable[[HttpRequest], str] = client_address

    def _key(self, request: HttpRequest) -> str:
        window = int(time.time() // self.seconds)
        return f"throttle:{self.scope}:{self.client(request)}:{window}"

    def used(self, request: HttpRequest) -> int:
        """Events counted for this client in the current window."""
        return int(cache.get(self._key(request), 0))

    def exceeded(self, request: HttpRequest) -> bool:
        """Whether the client has used up its allowance (without counting this request)."""
        return self.used(request) >= self.count

    def hit(self, request: HttpRequest) -> bool:
        """Count one event; ``False`` when it goes over the allowance."""
        key = self._key(request)
        cache.add(key, 0, timeout=self.seconds)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.seconds)
            used = 1
        return used <= self.count
