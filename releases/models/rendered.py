"""Each release's body as readers see it, rendered when it changes rather than on every read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedBody(models.Model):
    """The body of a dated release as its page prints it (the dateline, the typeset paragraphs,
    the quotes in place), in its own language, with the fingerprint of what it was rendered
    from. A reader uses it only while the fingerprint still matches the release, its quotes
    and the renderer (``releases.public.bodies``); otherwise the body is rendered afresh, so a
    row left behind by a change that sent no signal is never shown."""

    release = models.OneToOneField(
        "releases.Release",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rendered_body",
    )
    html = models.TextField()
    fingerprint = models.CharField(max_length=64)
    # The renderer's own part of the fingerprint: which bodies a new version outdates.
    renderer = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("rendered body")
        verbose_name_plural = _("rendered bodies")

    def __str__(self):
        return f"release {self.release_id}: {self.fingerprint[:12]}"
