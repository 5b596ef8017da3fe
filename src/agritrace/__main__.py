"""``python -m agritrace`` is the same as the ``agritrace`` console script."""

from agritrace.cli import main

main()
