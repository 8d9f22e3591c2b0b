"""Finding public releases: the index (``index``), words and filters (``query``), facet
counts (``facets``), archive months (``archives``) and related releases (``related``)."""
