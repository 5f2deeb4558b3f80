"""``python -m i18n`` runs the command-line interface."""

from i18n.cli.commands import main

main()
