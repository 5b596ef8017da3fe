"""The ``agritrace`` console script: Django's management commands under the project's name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command: ``agritrace migrate``, ``agritrace shell``, ``agritrace demo``…"""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["agritrace", *sys.argv[1:]])


if __name__ == "__main__":
    main()
