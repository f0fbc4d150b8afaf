"""Print the rule catalogue (``docs/validation.md``)."""

import sys

from . import catalogue

sys.stdout.write(catalogue())
