"""`python -m seam_tui.sandbox serve | reset | seed`."""

from seam_tui.sandbox.cli import main

raise SystemExit(main())
