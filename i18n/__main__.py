"""``python -m i18n`` runs the command-line interface."""

from i18n.cli.commands import main

if __name__ == "__main__":  # so that importing the module (tools walking the package) runs nothing
    main()
