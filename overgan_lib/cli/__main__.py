"""``python -m overgan_lib.cli``: the ``overgan`` command line."""

import sys

from . import main

sys.exit(main())
