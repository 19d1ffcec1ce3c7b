"""Entry point: ``python -m cevns_lib`` is the ``cevns`` command (``python -m cevns_lib --help``)."""

import sys

from .cli import main

sys.exit(main())
