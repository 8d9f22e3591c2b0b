"""Loads the sample release of the Canadian Association of Chiefs of Police, exactly as issued.

Idempotent: what exists already is left as it is, so a second run changes nothing (and edits
made in the admin survive).
"""

from datetime import date, datetime, time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from releases.demo.seed import read_seed
from releases.demo.sharing import add_sharing_image
from releases.models import (
    Campaign,
    FormerSlug,
    Organisation,
    Quote,
    Release,
    ReleaseRedirect,
    ReleaseType,
    Spokesperson,
    slugs,
)
from releases.workflow import publishing

# The seed names the campaign, its theme and length ("seven-day ... beginning" May 9) and the
# spokesperson; these are the same facts, given the shape of the models.
CAMPAIGN = {
    # Its address in each language, as its name (``releases.models.slugs``).
    "slug_en": "national-police-week-2021",
    "slug_fr": "semaine-nationale-de-la-police-2021",
    "name_en": "National Police Week",
    "name_fr": "Semaine nationale de la police",
    "edition": 2021,
    "theme_en": "Working together to keep our communities safe",
    "theme_fr": "Travailler ensemble pour assurer la sécurité de nos collectivités",
    "start_date": date(2021, 5, 9),
    "end_date": date(2021, 5, 15),
}
SPOKESPERSON = {
    "slug": "bryan-larkin",
    "name": "Bryan Larkin",
    "honorific_en": "Chief",
    "honorific_fr": "Chef",
    "honorific_in_sentence_fr": "le chef",  # « …, a déclaré le chef Bryan Larkin, … »
    "title_en": "President",
    "title_fr": "Président",
    "organisation_name_en": "Canadian Association of Chiefs of Police",
    "organisation_name_fr": "Association canadienne des chefs de police",
    # After "of" / « de »: "President of the Canadian …", « président de l’Association … ».
    "organisation_in_sentence_en": "the Canadian Association of Chiefs of Police",
    "organisation_in_sentence_fr": "l’Association canadienne des chefs de police",
}
ORGANISATION = {
    "name_fr": "Association canadienne des chefs de police",
    # After “About” and « À propos », as the seed's release writes it after “President of”.
    "name_in_sentence_en": "the Canadian Association of Chiefs of Police",
    "name_in_sentence_fr": "l’Association canadienne des chefs de police",
    # The seed gives its tagline in English only: the French site must not show that.
    "tagline_fr": (
        "Soutenir les professionnels de la police par un leadership policier novateur et "
        "inclusif, afin de faire progresser la sûreté et la sécurité de tous les Canadiens."
    ),
    "short_name_en": "CACP",
    "short_name_fr": "ACCP",
    "website": "https://www.cacp.ca/",
}
RELEASE_SLUG = "national-police-week-working-together-to-keep-our-communities-safe"
# The seed gives the date, not the minute; the release went out that morning.
RELEASE_TIME = time(9, 0)


def demo_subject(model, fields: dict):
    """The demo's campaign or spokesperson: at its English slug, or wherever staff have moved
    it since (``FormerSlug``); created only when there is neither, so that a renamed one is
    not made again at its old slug."""
    column = slugs.slug_column(model, "en")
    found = model.objects.filter(**{column: fields[column]}).first()
    if found is None:
        former = FormerSlug.objects.of(model, fields[column], "en").values("object_id")
        found = model.objects.filter(pk__in=former).first()
    return found or model.objects.create(**fields)


class Command(BaseCommand):
    help = "Load the demo newsroom: the CACP's National Police Week 2021 release."

    @transaction.atomic
    def handle(self, *args, **options):
        seed = read_seed()
        organisation = Organisation.objects.first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name_en=seed.organisation, tagline_en=seed.tagline, **ORGANISATION
            )
            # Link previews then show a large card; one uploaded in the admin replaces it.
            add_sharing_image(organisation)
        campaign = demo_subject(Campaign, CAMPAIGN)
        spokesperson = demo_subject(Spokesperson, SPOKESPERSON)
        publish_at = timezone.make_aware(datetime.combine(seed.date.date(), RELEASE_TIME))
        address = {"language": "en", "publication_date": publish_at.date(), "slug": RELEASE_SLUG}
        release = (
            Release.objects.filter(**address).first()
            or Release.objects.filter(old_addresses__in=ReleaseRedirect.objects.filter(**address))
            .distinct()
            .first()
        )
        if release is None:
            release = Release.objects.create(
                language="en",
                slug=RELEASE_SLUG,
                headline=seed.headline,
                release_type=ReleaseType.NEWS_RELEASE,
                dateline_city=seed.dateline_city,
                dateline_region=seed.dateline_region,
                body=seed.body_html,
                campaign=campaign,
            )
            for quote in seed.quotes:
                Quote.objects.create(
                    release=release,
                    spokesperson=spokesperson,
                    text=quote.words,
                    attribution=quote.attribution,
                    position=quote.after_paragraph,
                )
            publishing.publish(release=release, at=publish_at)
            self.stdout.write(self.style.SUCCESS(f"Loaded “{release}” for {organisation}."))
        else:
            self.stdout.write("The demo data is already loaded; nothing changed.")
