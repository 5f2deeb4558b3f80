"""The status tracker: models and queries (the only SQLAlchemy user), snapshot, migrations."""
