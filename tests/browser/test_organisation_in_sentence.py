"""A reader's Chromium names the boilerplate's section as its heading reads: “About the
Canadian Association of Chiefs of Police”, « À propos de l’Association … »."""

import pytest

from tests.factories import make_organisation, make_release

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_about_section_is_named_with_the_organisations_name_in_a_sentence(page, live_server):
    make_organisation(
        name_in_sentence_en="the Canadian Association of Chiefs of Police",
        name_in_sentence_fr="l’Association canadienne des chefs de police",
        boilerplate_fr="L’association représente les dirigeants de la police.",
    )
    english = make_release()
    french = make_release(language="fr", headline="Travailler ensemble", slug="travailler")
    for release, about in [
        (english, "About the Canadian Association of Chiefs of Police"),
        (french, "À propos de l’Association canadienne des chefs de police"),
    ]:
        page.goto(live_server.url + release.get_absolute_url())
        section = page.get_by_role("region", name=about, exact=True)
        assert section.count() == 1
        heading = section.get_by_role("heading", level=2)
        assert heading.inner_text() == about
        assert heading.is_visible()
