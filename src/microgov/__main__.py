"""``python -m microgov`` runs the ``microgov`` command."""

from microgov.cli import main

raise SystemExit(main())
