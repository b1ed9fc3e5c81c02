"""``python -m analyzer`` is the ``analyze`` command."""

from .cli import main

main()
