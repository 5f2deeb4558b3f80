"""i18n: a translation-management workflow for content sites mirrored into other languages.

The package is layered (imports point down this list):

* ``cli``/``output``: parse options, render reports, map errors to exit codes;
* ``sync``: the use cases (one function per workflow step, each returning a frozen report);
* ``articles``, ``segments``, ``extract``, ``merge``, ``pofile``, ``workspace``, ``index``: adapters;
* ``catalog``, ``states``, ``languages``, ``config``, ``errors``: core values.
"""

__version__ = "0.1.0"
