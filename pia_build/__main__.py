"""``python -m pia_build``."""

import sys

from pia_build.cli import main

sys.exit(main())
