"""Presentation: the click commands, the error -> exit-code mapping, report rendering."""
