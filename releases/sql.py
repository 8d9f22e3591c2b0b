"""What the statements written out by hand share (facet counts and labels, feed entries)."""

from django.db import connection


def quoted_table(model) -> str:
    """``model``'s table, quoted for the database."""
    return connection.ops.quote_name(model._meta.db_table)
