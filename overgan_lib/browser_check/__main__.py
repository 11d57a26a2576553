"""``python -m overgan_lib.browser_check SITE [--screenshots DIR]``."""

from . import main

if __name__ == "__main__":
    raise SystemExit(main())
