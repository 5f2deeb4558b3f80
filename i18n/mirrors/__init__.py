"""Mirror sites: rendered outputs, their versioned store, and the publication gate."""
