"""The crawler shared by the page tests: every page reachable from a start page (same site), and
every API list and detail, with the scope matrix's objects in the database."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from agritrace.core.tests.test_scope_matrix import CASES

LINK = re.compile(r'(?:href|hx-get)="([^"#]+)"')
#: Not pages: leaving, switching language, static and media files.
SKIP = re.compile(r"^/(logout|i18n|static|media|api/docs)/|^/admin/logout")


def populate(world: Any) -> Any:
    """Every scoped model gets rows: the scope matrix's own objects."""
    for case in CASES.values():
        case.objects(world)
    return world


def crawl(
    client: Any,
    start: str,
    limit: int = 1500,
    visit: Callable[[str, Any], None] | None = None,
) -> dict[str, int]:
    """GET every page reachable from ``start`` (same site), each once; their statuses.
    ``visit(url, response)`` sees each response."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if visit is not None:
            visit(url, response)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            target = urljoin(url, link.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or SKIP.match(parts.path) or "?page=" in target:
                continue
            if target not in seen:
                queue.append(target)
    return seen


def api_reads(client: Any) -> dict[str, int]:
    """Every API list (from the API root) and the detail of each row it lists."""
    seen: dict[str, int] = {}
    root = client.get("/api/v1/").json()
    for url in root.values():
        path = urlsplit(url).path
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200:
            continue
        body = response.json()
        for row in body.get("results", []) if isinstance(body, dict) else body:
            if isinstance(row, dict) and "id" in row:
                detail = f"{path}{row['id']}/"
                seen[detail] = client.get(detail).status_code
    return seen
