"""``python -m checker`` is ``tlacheck``."""

from checker.cli import entry_point

entry_point()
