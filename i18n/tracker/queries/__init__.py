"""The tracker's reads and writes, one module per use-case group: each function takes a session and never commits."""
