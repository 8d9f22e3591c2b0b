"""Quotes are now placed by paragraphs, headings not counted (``is_paragraph``): a quote's
stored position, counted in blocks before, is renumbered so that it prints where it did (after
the same paragraph; one that followed a heading now follows the paragraph before it)."""

from django.db import migrations

from releases.text.html import is_paragraph, sanitized_blocks


def count_paragraphs_not_blocks(apps, schema_editor):
    Quote = apps.get_model("releases", "Quote")
    quotes = Quote.objects.filter(release__body__contains="<h").select_related("release")
    for quote in quotes.iterator():
        blocks = sanitized_blocks(quote.release.body)
        if not 1 <= quote.position <= len(blocks):
            continue  # printed at the end, as it still is
        position = max(1, sum(1 for block in blocks[: quote.position] if is_paragraph(block)))
        if position != quote.position:
            Quote.objects.filter(pk=quote.pk).update(position=position)


class Migration(migrations.Migration):
    dependencies = [("releases", "0026_campaign_hashtag_and_edition")]

    operations = [
        migrations.RunPython(count_paragraphs_not_blocks, migrations.RunPython.noop),
    ]
