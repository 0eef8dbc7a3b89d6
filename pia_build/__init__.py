"""pia-build: 特定個人情報保護評価書 as docs-as-code.

The public API: ``load_config``, ``check`` and ``build``; the ``pia`` command is a thin shell
over these.
"""

from pia_build.building.build import BuildResult, CheckResult, build, check
from pia_build.core.config import Config, load_config

__version__ = "0.1.0"
__all__ = ["BuildResult", "CheckResult", "Config", "build", "check", "load_config", "__version__"]
