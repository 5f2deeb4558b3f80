"""Machine translation: engines (the only deep-translator user) and post-edit statistics."""
