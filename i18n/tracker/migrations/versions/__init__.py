"""Alembic revision scripts of the tracker schema (a package so that wheels include them)."""
