"""Use cases: one module per workflow step, each owning its transaction and returning a report."""
