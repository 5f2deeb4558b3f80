"""Gettext catalogs: entries, PO/POT/MO reading and writing, merging, msgcat line breaking."""
