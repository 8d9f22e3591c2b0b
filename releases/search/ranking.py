"""PostgreSQL's ``ts_rank`` (with its default weights and no length normalisation), computed in
Python over the words SQLite's full-text table keeps, so that the quick start orders results
as production does: an exact tie on PostgreSQL (same words, same parts) is a tie here too, and
recency breaks it on both. FTS5's own bm25 would prefer the shorter text instead.

The algorithm is PostgreSQL's (src/backend/utils/adt/tsrank.c): for an AND or phrase query,
every pair of occurrences of two different query words adds to the rank by their weights and
their distance; otherwise each query word adds its weighted occurrences, the first counting
most. Positions are counted as ``to_tsvector`` counts them, stop words included, and each
part's positions follow those of the parts before it, as ``||`` shifts them."""

from itertools import combinations
from math import exp, sqrt

from releases.search import words

# The weights of the three parts (A headline; B; C), ts_rank's defaults.
WEIGHTS = (1.0, 0.4, 0.2)
MAX_POSITION = 16383  # a tsvector's positions stop there
MAX_POSITIONS = 256  # and it keeps this many per lexeme
_PI_SQUARED_OVER_6 = 1.64493406685


def vector(parts: tuple[str, ...]) -> dict[str, list[tuple[int, float]]]:
    """{lexeme: [(position, weight), …]} from the stored parts (tokens separated by spaces)."""
    found: dict[str, list[tuple[int, float]]] = {}
    offset = 0
    for part, weight in zip(parts, WEIGHTS, strict=True):
        last = 0
        for position, token in enumerate((part or "").split(), start=1):
            if token == words.STOP:
                continue
            last = position
            positions = found.setdefault(token, [])
            if len(positions) < MAX_POSITIONS:
                positions.append((min(position + offset, MAX_POSITION), weight))
        offset += last
    return found


def _word_distance(distance: int) -> float:
    if distance > 100:
        return 1e-30
    return 1.0 / (1.005 + 0.05 * exp(distance / 1.5 - 2))


def _rank_or(found, operands) -> float:
    rank = 0.0
    for operand in operands:
        positions = found.get(operand)
        if not positions:
            continue
        total, best, best_at = 0.0, -1.0, 0
        for j, (_, weight) in enumerate(positions):
            total += weight / ((j + 1) * (j + 1))
            if weight > best:
                best, best_at = weight, j
        rank += (best + total - best / ((best_at + 1) * (best_at + 1))) / _PI_SQUARED_OVER_6
    return rank / len(operands) if operands else 0.0


def _rank_and(found, operands) -> float:
    if len(operands) < 2:
        return _rank_or(found, operands)
    rank = -1.0
    present = [found[operand] for operand in operands if operand in found]
    for earlier, later in combinations(present, 2):
        for position, weight in later:
            for other_position, other_weight in earlier:
                distance = abs(position - other_position)
                if distance:
                    current = sqrt(weight * other_weight * _word_distance(distance))
                    rank = current if rank < 0 else 1.0 - (1.0 - rank) * (1.0 - current)
    return rank


def rank(parts: tuple[str, ...], query: str, language: str) -> float:
    """``ts_rank(vector, websearch_to_tsquery(query))`` for a release's stored parts."""
    parsed = words.parse_query(query, language)
    if not parsed.operands:
        return 0.0
    # ts_rank takes the query's words sorted (by length, then text) and without repeats.
    operands = sorted(parsed.operands, key=lambda o: (len(o.encode()), o.encode()))
    found = vector(parts)
    result = _rank_and(found, operands) if parsed.conjunctive else _rank_or(found, operands)
    return result if result >= 0 else 1e-20
