from django import template

from pagecache import caching
from releases.models import CampaignVisual

register = template.Library()

#: How wide an image is shown on a release page: the text column, or the screen on a phone.
RELEASE_COLUMN_SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="", lazy=True, css_class=""):
    """A ``<picture>``: WebP renditions first, the original format as fallback, with
    ``width``/``height`` (no layout shift) and lazy loading unless it is above the fold."""
    return {
        "image": image,
        "fallback": image.fallback if image else None,
        "sizes": sizes or RELEASE_COLUMN_SIZES,
        "lazy": lazy,
        "css_class": css_class,
    }


@register.simple_tag
def public_campaign_visual(campaign):
    """The campaign's visual, once one of its releases is public (looked up once and kept
    under the rules of ``pagecache.caching``)."""
    return caching.remember(
        caching.key_for("campaign-visual", str(campaign.pk)),
        lambda: CampaignVisual.objects.public().filter(campaign=campaign).first(),
    )
