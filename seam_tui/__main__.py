"""`python -m seam_tui`: the same as the `seam-tui` command."""

import sys

from seam_tui.cli import main

sys.exit(main())
