"""The content API's answers, as django-ninja schemas (what the OpenAPI document describes)."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

# As the release's page prints it, for people to read (the feeds and ninjs give the same).
PRINTED = (
    "As the release's page prints it: with the quotation marks and apostrophes of the "
    "release's language (“…” and ’ in English, « … » and ’ in French)."
)


class TopicOut(Schema):
    id: int
    slug: str
    name: str
    url: str = Field(description="The topic's page, in the answer's language.")


class CampaignRef(Schema):
    id: int
    slug: str
    name: str
    url: str
    api_url: str


class CampaignOut(CampaignRef):
    edition: int | None
    theme: str
    description: str
    hashtag: str
    start_date: date
    end_date: date
    phase: str = Field(description="upcoming, on-now or past")
    releases_url: str = Field(description="Its public releases, through this API.")


class SpokespersonRef(Schema):
    id: int
    slug: str
    name: str
    url: str
    api_url: str


class SpokespersonOut(SpokespersonRef):
    honorific: str
    title: str
    organisation: str
    bio: str
    releases_url: str


class QuoteOut(Schema):
    id: int
    text: str
    attribution: str = Field(description="As given at the time of the quote.")
    position: int = Field(description="Printed after this paragraph of the body.")
    spokesperson: SpokespersonRef


class ContactOut(Schema):
    name: str
    role: str
    organisation: str
    email: str
    phone: str


class RenditionOut(Schema):
    role: str = Field(description="original, rendition or social")
    format: str
    media_type: str
    width: int
    height: int
    bytes: int
    url: str


class ImageOut(Schema):
    id: str
    alt: str
    caption: str
    credit: str
    licence: str
    width: int
    height: int
    renditions: list[RenditionOut]


class VersionOut(Schema):
    id: int
    language: str
    url: str
    api_url: str


class CorrectionOut(Schema):
    note: str
    corrected_at: datetime


class EventOut(Schema):
    uid: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    address: str
    online_url: str
    status: str = Field(description="scheduled, changed or cancelled")
    sequence: int
    accreditation: str
    accreditation_contact: ContactOut | None
    ics_url: str


class ReleaseOut(Schema):
    id: int = Field(description="Stable: it never changes.")
    uri: str = Field(description="The same tag URI as in the feeds and ninjs.")
    url: str
    api_url: str
    ninjs_url: str
    text_url: str
    oembed_url: str
    language: str
    type: str
    type_label: str
    status: str = Field(description="published, or withdrawn (its page stays)")
    withdrawn_reason: str
    headline: str = Field(description=PRINTED)
    subheadline: str = Field(description=PRINTED)
    summary: str = Field(description=PRINTED)
    dateline: str
    published: datetime
    updated: datetime
    body_html: str
    body_text: str
    campaign: CampaignRef | None
    topics: list[TopicOut]
    quotes: list[QuoteOut]
    contacts: list[ContactOut]
    images: list[ImageOut]
    versions: list[VersionOut] = Field(description="The release in other languages.")
    corrections: list[CorrectionOut]
    event: EventOut | None = Field(description="A media advisory's event.")


class ReleasePage(Schema):
    items: list[ReleaseOut]
    next: str | None = Field(description="The next page's address, or null on the last page.")
    next_cursor: str | None


class TypeOut(Schema):
    code: str
    label: str
    uri: str
    releases_url: str


class CampaignList(Schema):
    items: list[CampaignOut]


class SpokespersonList(Schema):
    items: list[SpokespersonOut]


class TopicList(Schema):
    items: list[TopicOut]


class TypeList(Schema):
    items: list[TypeOut]


# Building the answers.
