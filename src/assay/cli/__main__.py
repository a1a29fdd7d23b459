"""``python -m assay.cli`` runs the ``assay`` command."""

import sys

from assay.cli import main

sys.exit(main())
