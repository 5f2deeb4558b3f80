"""Source content: articles, segmentation, templates, assembly, placeholder protection, checks."""
