"""``agritrace import KIND FILE --user USERNAME``: an Excel import, run synchronously."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agritrace.core.changelog import actor
from agritrace.core.imports import runner
from agritrace.core.imports.importer import get_importer, importer_classes
from agritrace.core.imports.sheets import ImportRefused

BAR_WIDTH = 40


def draw_progress(done: int, total: int) -> None:
    """A text progress bar on stderr."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    percent = 100 * done // total if total else 100
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    sys.stderr.write(f"\r[{bar}] {percent:3d}% {done}/{total}")
    sys.stderr.flush()


class Command(BaseCommand):
    """Import a filled-in template as USERNAME (whose scope applies); all rows or none."""

    help = "Import an xlsx template (all rows or none); prints the per-row error report."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = [importer.kind for importer in importer_classes()]
        parser.add_argument("kind", choices=kinds)
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="the importing user's username")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {options['user']!r}") from None
        if not path.is_file():
            raise CommandError(f"no file {path}")
        importer = get_importer(options["kind"])(user)
        try:
            with actor(user=user, source=f"agritrace import {path.name}"), path.open("rb") as f:
                result = runner.run(importer, f, path.stat().st_size, draw_progress)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        finally:
            sys.stderr.write("\n")
        for error in result.errors:
            self.stdout.write(f"row {error.row}\t{error.column or '-'}\t{error.message}")
        if not result.created:
            raise CommandError(
                f"nothing imported: {len(result.errors)} errors in {result.total} rows"
            )
        self.stdout.write(f"imported {result.created} {importer.label}")
