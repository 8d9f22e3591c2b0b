"""Benchmark data: many plainly fictional releases, inserted in bulk.

Everything it creates belongs to an invented police association in invented towns, and says so
in every body; it never names a real organisation. ``bulk_create`` skips ``Release.save()`` and
the signals, so the derived fields (``publication_date``, quote attributions) are filled here,
the search vectors are built at the end in one statement, the facet counts counted again,
and the public caches are invalidated.
"""

import random
import uuid
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from pagecache import caching
from releases.models import (
    Campaign,
    MediaContact,
    Organisation,
    Quote,
    Release,
    ReleaseType,
    Spokesperson,
    Status,
    Topic,
)
from releases.public import bodies
from releases.search import counts as facet_counts
from releases.search import index as search_index

BATCH = 1000
ORGANISATION = {
    "name_en": "Lakeshore Association of Police Leaders (fictional)",
    "name_fr": "Association des dirigeants policiers de Lakeshore (fictive)",
    "name_in_sentence_en": "the Lakeshore Association of Police Leaders (fictional)",
    "name_in_sentence_fr": "l’Association des dirigeants policiers de Lakeshore (fictive)",
    "short_name_en": "LAPL",
    "short_name_fr": "ADPL",
    "tagline_en": "A fictional association, invented to test this newsroom.",
    "tagline_fr": "Une association fictive, inventée pour essayer ce site.",
    "boilerplate_en": "The Lakeshore Association of Police Leaders does not exist: it and every "
    "release signed with its name are sample data generated for testing.",
    "boilerplate_fr": "L'Association des dirigeants policiers de Lakeshore n'existe pas : elle et "
    "tous ses communiqués sont des données d'essai.",
}
ORG_EN, ORG_FR = "Lakeshore Association of Police Leaders", "Association de Lakeshore"
# After "of" / « de », as load_demo fills it: "President of the Lakeshore …", « président de
# l’Association de Lakeshore ».
ORG_IN_SENTENCE_EN, ORG_IN_SENTENCE_FR = f"the {ORG_EN}", "l’Association de Lakeshore"
TOWNS = [
    ("Port Alder", "ON", "Ontario"),
    ("Millbrook Falls", "ON", "Ontario"),
    ("Cedar Hollow", "MB", "Manitoba"),
    ("Saint-Firmin-des-Lacs", "QC", "Québec"),
    ("Grey Harbour", "NS", "Nouvelle-Écosse"),
    ("Pinecrest", "AB", "Alberta"),
    ("Riverbend", "SK", "Saskatchewan"),
    ("North Tamsworth", "BC", "Colombie-Britannique"),
    ("Lac-aux-Hérons", "QC", "Québec"),
    ("Ashford Bay", "NL", "Terre-Neuve-et-Labrador"),
]
FIRST = "Avery Jordan Morgan Casey Riley Quinn Taylor Jamie Robin Drew Sasha Alexis".split()
LAST = "Ashgrove Bellwood Corran Dunmore Elsworth Fairholm Glenross Hartwell Ivesdale".split()
TOPICS = [
    ("Road safety", "Sécurité routière"),
    ("Community policing", "Police communautaire"),
    ("Mental health", "Santé mentale"),
    ("Cybercrime", "Cybercriminalité"),
    ("Youth", "Jeunesse"),
    ("Recruitment", "Recrutement"),
    ("Emergency preparedness", "Préparation aux urgences"),
    ("Indigenous relations", "Relations avec les Autochtones"),
    ("Drug policy", "Politique sur les drogues"),
    ("Victim services", "Services aux victimes"),
    ("Training", "Formation"),
    ("Technology", "Technologie"),
]
CAMPAIGNS = [
    ("Safe Roads Month", "Mois des routes sûres"),
    ("Lakeshore Police Week", "Semaine de la police de Lakeshore"),
    ("Fraud Awareness Fortnight", "Quinzaine de la prévention de la fraude"),
    ("Wellness on Duty", "Bien-être en service"),
    ("Youth Outreach Days", "Journées jeunesse"),
]
# The French topics that do not take "la" (the others are feminine and singular).
FRENCH_ARTICLES = {
    "Recrutement": "le",
    "Relations avec les Autochtones": "les",
    "Services aux victimes": "les",
}
# Headlines by release type (English, French), so that a card's type and headline agree;
# {the_topic} is the French topic with its article.
HEADLINES = {
    ReleaseType.NEWS_RELEASE: (
        [
            "{town} Police Launch {topic} Initiative",
            "Association Welcomes New {topic} Funding in {town}",
            "{town} Hosts Regional Forum on {topic}",
        ],
        [
            "La police de {town} lance une initiative en {topic}",
            "L'Association salue un financement en {topic} à {town}",
            "{town} accueille un forum régional sur {the_topic}",
        ],
    ),
    ReleaseType.MEDIA_ADVISORY: (
        ["Media Advisory: {topic} Briefing in {town}"],
        ["Avis aux médias : point de presse sur {the_topic} à {town}"],
    ),
    ReleaseType.STATEMENT: (
        ["Statement on {topic} Following Community Meeting in {town}"],
        ["Déclaration sur {the_topic} après une rencontre à {town}"],
    ),
    ReleaseType.BACKGROUNDER: (
        ["New Report Highlights Progress on {topic}", "Backgrounder: {topic} in {town}"],
        [
            "Un nouveau rapport fait le point sur {the_topic}",
            "Document d'information : {the_topic} à {town}",
        ],
    ),
}
SENTENCES_EN = [
    "This is a fictional release generated to test the newsroom.",
    "Officers will meet residents at community centres throughout the week.",
    "The program builds on two years of work with local partners and schools.",
    "Members of the public are invited to share their views online or in person.",
    "The association thanks volunteers who gave their time to make this possible.",
    "Data collected over the past year point to a steady improvement.",
    "Training sessions for front-line staff begin next month.",
    "The initiative is funded within existing budgets and requires no new spending.",
    "Further details, including a schedule of events, will be published shortly.",
    "Partners include regional health authorities and several school boards.",
    "The findings will be presented to the board at its next public meeting.",
    "Residents with questions can contact their local detachment.",
]
SENTENCES_FR = [
    "Ce communiqué fictif a été généré pour essayer le site.",
    "Des policiers rencontreront les résidents dans les centres communautaires.",
    "Le programme s'appuie sur deux ans de travail avec des partenaires locaux.",
    "Le public est invité à donner son avis en ligne ou en personne.",
    "L'Association remercie les bénévoles qui ont rendu cela possible.",
    "Les données de l'année écoulée montrent une amélioration constante.",
    "La formation du personnel de première ligne commence le mois prochain.",
    "L'initiative est financée à même les budgets existants.",
    "D'autres détails, dont un calendrier, seront publiés sous peu.",
    "Les résultats seront présentés au conseil lors de sa prochaine réunion publique.",
]
QUOTES_EN = [
    "Safer communities are built one conversation at a time",
    "We listened, and this plan reflects what residents told us",
    "Our officers are proud to stand with the people they serve",
    "Prevention works best when everyone has a part to play",
]
QUOTES_FR = [
    "Les communautés plus sûres se bâtissent une conversation à la fois",
    "Nous avons écouté, et ce plan reflète ce que les résidents nous ont dit",
    "La prévention fonctionne mieux quand chacun y participe",
]
TYPES = [ReleaseType.NEWS_RELEASE] * 6 + [
    ReleaseType.MEDIA_ADVISORY,
    ReleaseType.MEDIA_ADVISORY,
    ReleaseType.STATEMENT,
    ReleaseType.BACKGROUNDER,
]


class Command(BaseCommand):
    help = "Add N plainly fictional releases (English and French twins) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="How many releases to add.")
        parser.add_argument("--years", type=int, default=10, help="Spread them over this many.")
        parser.add_argument("--seed", type=int, default=8, help="Random seed (same data).")

    def handle(self, *, count, years, seed, verbosity, **options):
        self.random = random.Random(seed)
        self.now = timezone.now()
        self.years = years
        if not Organisation.objects.exists():
            Organisation.objects.create(**ORGANISATION)
        self.topics = self._topics()
        self.campaigns = self._campaigns()
        self.spokespeople = self._spokespeople()
        self.attributions = {}
        self.contacts = self._contacts()
        last_before = Release.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.next_number = last_before + 1
        with tqdm(total=count, unit="release", disable=verbosity == 0) as progress:
            done = 0
            while done < count:
                size = min(BATCH, count - done)
                self._batch(size)
                done += size
                progress.update(size)
        if connection.vendor == "postgresql":
            # Fresh statistics first: without them, the vector build below (and every page)
            # plans as if the tables were empty, and the build scans the quotes per release.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE releases_release, releases_quote, releases_release_topics")
        # bulk_create sends no signal, so the search vectors are built here, in one statement.
        search_index.refresh_search_vectors(
            Release.objects.filter(pk__gt=last_before).values_list("pk", flat=True)
        )
        # Nor are the facet counts kept up to date: counted here, all at once.
        facet_counts.rebuild()
        # Nor the bodies as readers see them: rendered here.
        with tqdm(total=count, unit="body", disable=verbosity == 0) as progress:
            bodies.store_bodies(
                Release.objects.filter(pk__gt=last_before).values_list("pk", flat=True),
                progress=progress.update,
            )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The vector build rewrote every new row: reclaim the old versions, so that scans
            # do not read pages of dead rows, and plan with the vectors' statistics.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE releases_release")
        caching.invalidate()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Added {count} fictional releases."))

    def _topics(self):
        Topic.objects.bulk_create(
            [
                Topic(
                    name_en=en,
                    name_fr=fr,
                    slug_en=f"sample-{slugify(en)}",
                    slug_fr=f"exemple-{slugify(fr)}",
                )
                for en, fr in TOPICS
            ],
            ignore_conflicts=True,
        )
        return list(Topic.objects.filter(slug_en__startswith="sample-"))

    def _campaigns(self) -> dict[int, list[Campaign]]:
        first_year = self.now.year - self.years
        wanted = []
        for index, (en, fr) in enumerate(CAMPAIGNS):
            for year in range(first_year, self.now.year + 1):
                start = date(year, 2 + index * 2, 8)
                wanted.append(
                    Campaign(
                        name_en=en,
                        name_fr=fr,
                        edition=year,
                        slug_en=f"sample-{slugify(en)}-{year}",
                        slug_fr=f"exemple-{slugify(fr)}-{year}",
                        theme_en="Working together (sample data)",
                        theme_fr="Travailler ensemble (données d'essai)",
                        start_date=start,
                        end_date=start + timedelta(days=6),
                        description_en="A fictional campaign for testing.",
                        description_fr="Une campagne fictive pour les essais.",
                    )
                )
        Campaign.objects.bulk_create(wanted, ignore_conflicts=True)
        campaigns = list(Campaign.objects.filter(slug_en__startswith="sample-").order_by("edition"))
        firsts = {}
        for campaign in campaigns:
            root = firsts.setdefault(campaign.name_en, campaign)
            if root is not campaign and campaign.first_edition_id is None:
                campaign.first_edition = root
        Campaign.objects.bulk_update(campaigns, ["first_edition"])
        by_year = {}
        for campaign in campaigns:
            by_year.setdefault(campaign.edition, []).append(campaign)
        return by_year

    def _spokespeople(self):
        people = [
            Spokesperson(
                honorific_en="Chief" if i % 3 == 0 else "Deputy Chief",
                honorific_fr="Chef" if i % 3 == 0 else "Chef adjoint",
                honorific_in_sentence_fr="le chef" if i % 3 == 0 else "le chef adjoint",
                name=f"{first} {last}",
                slug=f"sample-{slugify(first)}-{slugify(last)}",
                title_en="President" if i % 4 == 0 else "Vice-President",
                title_fr="Président" if i % 4 == 0 else "Vice-président",
                organisation_name_en=ORG_EN,
                organisation_name_fr=ORG_FR,
                organisation_in_sentence_en=ORG_IN_SENTENCE_EN,
                organisation_in_sentence_fr=ORG_IN_SENTENCE_FR,
                bio_en="A fictional spokesperson.",
                bio_fr="Un porte-parole fictif.",
            )
            for i, (first, last) in enumerate((f, la) for f in FIRST[:6] for la in LAST[:5])
        ]
        Spokesperson.objects.bulk_create(people, ignore_conflicts=True)
        return list(Spokesperson.objects.filter(slug__startswith="sample-"))

    def _attribution(self, person, language: str) -> str:
        """What ``Quote.save()`` would fill in (« le chef …, président de l’Association … »),
        worked out once per spokesperson and language."""
        key = (person.pk, language)
        if key not in self.attributions:
            self.attributions[key] = person.current_attribution(language, in_sentence=True)
        return self.attributions[key]

    def _contacts(self):
        if not MediaContact.objects.filter(email__endswith="@example.org").exists():
            MediaContact.objects.bulk_create(
                MediaContact(
                    name=f"{FIRST[i]} {LAST[-1 - i]}",
                    role_en="Media relations (fictional)",
                    role_fr="Relations avec les médias (fictif)",
                    email=f"media{i}@example.org",
                    phone=f"613-555-010{i}",  # fictional (555-01xx), with its area code
                )
                for i in range(4)
            )
        return list(MediaContact.objects.filter(email__endswith="@example.org"))

    def _paragraphs(self, sentences, opening) -> list[str]:
        pick = self.random.choice
        paragraphs = [opening]
        for _ in range(self.random.randint(3, 8)):
            paragraphs.append(" ".join(pick(sentences) for _ in range(self.random.randint(3, 6))))
        return paragraphs

    def _release(self, language, group, release_type, publish_at, status, campaign, town, topic):
        english = language == "en"
        number = self.next_number
        self.next_number += 1
        french = topic.name_fr[:1].lower() + topic.name_fr[1:]  # « Autochtones » keeps its capital
        headline = self.random.choice(HEADLINES[release_type][0 if english else 1]).format(
            town=town[0],
            topic=topic.name_en if english else french,
            the_topic=f"{FRENCH_ARTICLES.get(topic.name_fr, 'la')} {french}",
        )
        opening = self.random.choice(SENTENCES_EN[1:] if english else SENTENCES_FR[1:])
        sentences = SENTENCES_EN if english else SENTENCES_FR
        paragraphs = self._paragraphs(sentences, opening)
        paragraphs.insert(1, sentences[0])
        return Release(
            headline=headline,
            subheadline="" if number % 3 else ("Sample data" if english else "Données d'essai"),
            slug=f"{slugify(headline)[:150]}-{number}",
            release_type=release_type,
            language=language,
            translation_group=group,
            dateline_city=town[0],
            dateline_region=town[1] if english else town[2],
            summary=opening,
            body="".join(f"<p>{p}</p>" for p in paragraphs),
            campaign=campaign,
            status=status,
            publish_at=publish_at,
            publication_date=timezone.localdate(publish_at) if publish_at else None,
            withdrawn_reason="Sample withdrawal." if status == Status.WITHDRAWN else "",
        )

    @transaction.atomic
    def _batch(self, size: int) -> None:
        releases = []
        span = self.years * 365 * 24 * 3600
        while len(releases) < size:
            roll = self.random.random()
            if roll < 0.02:
                status, publish_at = Status.DRAFT, None
            elif roll < 0.03:
                status = Status.PUBLISHED  # scheduled: days ahead
                publish_at = self.now + timedelta(days=self.random.randint(2, 60))
            else:
                status = Status.WITHDRAWN if roll < 0.04 else Status.PUBLISHED
                publish_at = self.now - timedelta(seconds=self.random.randint(3600, span))
            if publish_at is not None:
                publish_at = publish_at.replace(second=0, microsecond=0)
            year = publish_at.year if publish_at else self.now.year
            campaign = None
            if self.random.random() < 0.3 and self.campaigns.get(year):
                campaign = self.random.choice(self.campaigns[year])
            town, topic, group = (
                self.random.choice(TOWNS),
                self.random.choice(self.topics),
                uuid.uuid4(),
            )
            release_type = self.random.choice(TYPES)  # one type for a release and its twin
            languages = ["en", "fr"] if size - len(releases) > 1 else ["en"]
            for language in languages:
                releases.append(
                    self._release(
                        language, group, release_type, publish_at, status, campaign, town, topic
                    )
                )
        Release.objects.bulk_create(releases, batch_size=BATCH)
        self._links(releases)

    def _links(self, releases) -> None:
        topic_links, contact_links, quotes = [], [], []
        TopicLink = Release.topics.through
        ContactLink = Release.media_contacts.through
        for release in releases:
            for topic in self.random.sample(self.topics, self.random.randint(1, 3)):
                topic_links.append(TopicLink(release_id=release.pk, topic_id=topic.pk))
            if self.random.random() < 0.2:
                contact = self.random.choice(self.contacts)
                contact_links.append(ContactLink(release_id=release.pk, mediacontact_id=contact.pk))
            english = release.language == "en"
            for position in range(1, self.random.randint(0, 3) + 1):
                person = self.random.choice(self.spokespeople)
                quotes.append(
                    Quote(
                        release_id=release.pk,
                        spokesperson=person,
                        text=self.random.choice(QUOTES_EN if english else QUOTES_FR),
                        attribution=self._attribution(person, release.language),
                        position=position + 1,
                    )
                )
        TopicLink.objects.bulk_create(topic_links, batch_size=5000)
        ContactLink.objects.bulk_create(contact_links, batch_size=5000)
        Quote.objects.bulk_create(quotes, batch_size=5000)
