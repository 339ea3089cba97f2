"""Settings for the test suite: the ordinary settings in test mode."""

import os

os.environ["SAMPLAN_ENV"] = "test"

from samplan.settings import *  # noqa: F403
