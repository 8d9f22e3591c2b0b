"""The search parity table: the same releases and queries for PostgreSQL and SQLite.

``build()`` makes the releases (each field carries a word of its own, so that every indexed
part is tried), ``run()`` gives each query's headlines, most relevant first. Used by
tests/test_search_parity.py in-process, and on PostgreSQL also in a child process on SQLite
(``python -m tests.search_cases <sqlite file>`` prints the results as JSON)."""

import json
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

TORONTO = ZoneInfo("America/Toronto")
START = datetime(2024, 3, 1, 10, tzinfo=TORONTO)

# (language, query) → the headlines expected, most relevant first (the newer first on a tie).
CASES = {
    ("en", "police"): ["Police Week begins", "Annual report", "Community safety plan"],
    ("en", "partnering"): ["Police Week begins"],
    ("en", "Police-Week"): ["Police Week begins", "Community safety plan"],
    ("en", '"police week"'): ["Police Week begins", "Community safety plan"],
    ("en", "week police"): ["Police Week begins", "Community safety plan"],
    # The summary (B) outweighs a spokesperson's honorific and a campaign's name (C).
    ("en", "chiefs of police"): ["Annual report", "Community safety plan"],
    ("en", "Moncton"): ["Community safety plan"],
    ("en", "Larkin"): ["Community safety plan"],
    ("en", "Chief Larkin"): ["Community safety plan"],
    ("en", "together"): ["Community safety plan"],
    ("en", "roadside"): ["Annual report"],
    ("en", "safety -police"): ["Cyber safety tips"],
    ("en", "moncton or cyber"): ["Cyber safety tips", "Community safety plan"],
    # The same weight of match in texts of different lengths: a tie, the newer first.
    ("en", "moncton or roadside"): ["Community safety plan", "Annual report"],
    ("en", "the"): [],
    ("en", "sécurité"): [],
    ("fr", "securite"): ["Semaine de la sécurité", "Rapport annuel"],
    ("fr", "SÉCURITÉ"): ["Semaine de la sécurité", "Rapport annuel"],
    ("fr", "policières"): ["Rapport annuel"],
    ("fr", "chef"): ["Semaine de la sécurité"],
    ("fr", "oeuvre"): ["Rapport annuel"],
}


def build() -> None:
    from tests.factories import make_campaign, make_quote, make_release, make_spokesperson

    larkin = make_spokesperson(name="Bryan Larkin", honorific_en="Chief", honorific_fr="Chef")
    week = make_campaign(name_en="Police Week", name_fr="Semaine de la police")

    def at(days: int) -> dict:
        return {"publish_at": START + timedelta(days=days)}

    make_release(
        headline="Police Week begins",
        body="<p>Our partners in every province.</p>",
        slug="police-week",
        **at(1),
    )
    make_release(
        headline="Annual report",
        summary="The chiefs of police report on the year.",
        body="<p>Roadside checks went up.</p>",
        slug="annual-report",
        **at(2),
    )
    plan = make_release(
        headline="Community safety plan",
        body="<p>Neighbourhood meetings.</p>",
        campaign=week,
        dateline_city="Moncton",
        dateline_region="NB",
        slug="safety-plan",
        **at(3),
    )
    make_quote(plan, spokesperson=larkin, text="We keep each other safe, together.")
    make_release(
        headline="Cyber safety tips",
        body="<p>Strong passwords.</p>",
        slug="cyber-safety",
        **at(4),
    )
    semaine = make_release(
        headline="Semaine de la sécurité",
        body="<p>Les communautés en sûreté.</p>",
        language="fr",
        slug="semaine-securite",
        **at(5),
    )
    make_quote(semaine, spokesperson=larkin, text="Nous travaillons ensemble.")
    make_release(
        headline="Rapport annuel",
        body="<p>La sécurité routière : les policiers et policières à l'œuvre.</p>",
        language="fr",
        slug="rapport-annuel",
        **at(6),
    )


def run() -> dict[str, list[str]]:
    """{"language:query": [headline, …]} for every case, as find_releases orders them."""
    from releases.search.query import ReleaseFilters, find_releases

    return {
        f"{language}:{query}": [
            release.headline
            for release in find_releases(ReleaseFilters(language=language, query=query))
        ]
        for language, query in CASES
    }


def main(sqlite_file: str) -> None:
    """In a fresh process: migrate an SQLite database, build the releases, print the results."""
    import os

    os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build()
    sys.stdout.write(json.dumps(run()))


if __name__ == "__main__":
    main(sys.argv[1])
