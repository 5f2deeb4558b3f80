"""i18n: a translation-management workflow for content sites mirrored into other languages.

The package is layered (imports point down this list; ``lint-imports`` checks it, see ARCHITECTURE.md):

* ``cli``: parse options, render reports, map errors to exit codes;
* ``workflow``: the use cases (one module per workflow step, each returning a frozen report);
* ``mirrors`` · ``machine``, then ``content`` · ``tracker``, then ``catalogs``: adapters;
* ``core``: values, settings, the workspace and its files.
"""

__version__ = "0.1.0"
