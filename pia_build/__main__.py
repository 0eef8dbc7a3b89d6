"""``python -m pia_build``."""

import sys

from .cli import main

sys.exit(main())
