"""Releases read by machines: feeds, sitemaps, page metadata and wire text."""
