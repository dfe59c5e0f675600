"""``python -m tfgen``: the same as the ``tfgen`` command."""

from tfgen.cli import main

main()
