"""The newsroom's domain: an organisation publishes releases, grouped in campaigns, quoting
its spokespeople. One module per aggregate; everything is importable from here."""

from releases.models.campaigns import Campaign, CampaignQuerySet, CampaignVisual
from releases.models.counts import CountedRelease, CountedUntil, FacetCount
from releases.models.files import DocumentKind, ReleaseDocument, ReleaseImage
from releases.models.organisation import (
    MediaContact,
    Organisation,
    SharingImage,
    Topic,
    newsroom_name,
)
from releases.models.people import Quote, Spokesperson, SpokespersonHeadshot
from releases.models.record import (
    Correction,
    FormerSlug,
    PreviewLink,
    ReleaseEvent,
    ReleaseRedirect,
)
from releases.models.release import Release, ReleaseQuerySet, ReleaseType, Status
from releases.models.rendered import RenderedBody

__all__ = [
    "Campaign",
    "CampaignQuerySet",
    "CampaignVisual",
    "Correction",
    "CountedRelease",
    "CountedUntil",
    "DocumentKind",
    "FacetCount",
    "FormerSlug",
    "MediaContact",
    "Organisation",
    "PreviewLink",
    "Quote",
    "Release",
    "ReleaseDocument",
    "ReleaseEvent",
    "ReleaseImage",
    "ReleaseQuerySet",
    "ReleaseRedirect",
    "ReleaseType",
    "RenderedBody",
    "SharingImage",
    "Spokesperson",
    "SpokespersonHeadshot",
    "Status",
    "Topic",
    "newsroom_name",
]
