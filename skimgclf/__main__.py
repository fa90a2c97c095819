"""Run the ``skimgclf`` command line with ``python -m skimgclf``."""

import sys

from skimgclf._cli import main

if __name__ == "__main__":
    sys.exit(main())
