"""Text compared whatever its accents and case (“securite” finds “Sécurité routière”): the
admin's searches of campaigns, topics, spokespeople and media contacts, tables small enough to
read whole (releases are searched through the search index: releases/search/query.py).

``field__folded_contains=text``: both sides folded in the database, as ``words.fold`` folds:
``lower(unaccent())`` on PostgreSQL (the ``unaccent`` extension the search configurations
use), ``newsroom_fold()`` on SQLite (``words.fold``, registered in releases/search/fts.py)."""

from django.db.models import CharField, Lookup, TextField


def folded_sql(connection, sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"lower(unaccent({sql}))"
    return f"newsroom_fold({sql})"


@CharField.register_lookup
@TextField.register_lookup
class FoldedContains(Lookup):
    """``contains`` with both sides folded; the value is a plain string (a search term)."""

    lookup_name = "folded_contains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            raise ValueError("folded_contains compares with a string, not an expression.")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        pattern = f"%{connection.ops.prep_for_like_query(self.rhs)}%"
        folded_lhs, folded_rhs = folded_sql(connection, lhs), folded_sql(connection, "%s")
        return f"{folded_lhs} LIKE {folded_rhs} ESCAPE '\\'", [*lhs_params, pattern]
