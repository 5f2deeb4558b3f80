"""Machine translation: engines (the only deep-translator user), their settings, the translation memory,
the draft cache, sending texts to an engine, and post-edit statistics."""
