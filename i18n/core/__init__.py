"""Core values: errors, states, languages, clock, settings, glossary, workspace, atomic writes, ids."""
