"""Quality checks: small functions that compare one translation with its source.

In the style of Translate Toolkit's pofilter and Babel's checkers, a check is a function of one unit (a
source text, its translation and what the check needs to know about them) that raises ``CheckFailed``
with what is wrong. Each check has a stable code and a default severity; a workspace can disable a check
or change its severity in ``[checks]`` of ``i18n.toml``, and a reviewer can accept one check's finding on
one entry with an ``ignore-<code>`` flag (see :mod:`i18n.content.checks.accept`).

Errors are what breaks the published page or changes its meaning (markup, links, numbers, placeholders,
empty translations, Apertium's unknown-word marks, do-not-translate terms, UI strings over their maximum
length); warnings are what a reviewer should look at (the rest).

The modules, one per family: ``base`` (codes, severities, the unit, findings), ``prose`` (what is not
prose), ``markup`` (markup, links, placeholders, Apertium marks), ``numbers``, ``typography``, ``wording``,
``terms`` (the glossary), ``consistency`` (across entries), ``registry`` (the list, running it on an entry), ``config``
(``[checks]``), ``accept`` (accepted findings). This package exports what its users need.
"""

from i18n.content.checks.base import Check, CheckFailed, Code, Config, Finding, Options, Severity, Unit
from i18n.content.checks.config import load_config
from i18n.content.checks.consistency import CONSISTENCY, Occurrence, inconsistencies
from i18n.content.checks.markup import apertium_marks
from i18n.content.checks.prose import link_targets, placeholders_of, prose
from i18n.content.checks.registry import CHECKS, CODES, check_by_code, check_entry, message, units_of
from i18n.content.checks.typography import final_punctuation, unbalanced
from i18n.content.checks.wording import doubled_words

__all__ = [
    "CHECKS", "CODES", "CONSISTENCY", "Check", "CheckFailed", "Code", "Config", "Finding", "Occurrence",
    "Options", "Severity", "Unit", "apertium_marks", "check_by_code", "check_entry", "doubled_words",
    "final_punctuation", "inconsistencies", "link_targets", "load_config", "message", "placeholders_of",
    "prose", "unbalanced", "units_of",
]
