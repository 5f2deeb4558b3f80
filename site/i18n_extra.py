"""UI strings that live outside the Jinja2 templates (error pages, the Atom feed).

Kept here so that Babel's Python extractor has something to find; the strings are
looked up again through the active translations when the site is built.
"""

from gettext import gettext as _
from gettext import ngettext

PAGE_NOT_FOUND = _("Page not found")
FEED_TITLE = _("Biomedical Image of the Day: latest images")


def feed_subtitle(count: int) -> str:
    return ngettext("The latest %(num)d image", "The latest %(num)d images", count) % {"num": count}
