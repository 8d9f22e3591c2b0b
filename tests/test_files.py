"""Files of a release are reachable exactly when the release is public; documents, press kits
and the pages that show them."""

import io
import uuid
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from releases.media.documents import validate_document_upload
from releases.models import CampaignVisual, Release, ReleaseImage, SpokespersonHeadshot, Status
from tests.factories import cache_directives, make_campaign, make_release, make_spokesperson
from tests.imagefiles import (
    docx_bytes,
    files_under,
    jpeg_bytes,
    pdf_bytes,
    photo,
    png_bytes,
    store_document,
    store_image,
    upload,
)

pytestmark = pytest.mark.django_db


def release_with_files(**release_fields):
    release = make_release(**release_fields)
    lead = store_image(
        ReleaseImage, release=release, alt_text="Lead", caption="Chief Larkin speaks", credit="CACP"
    )
    store_image(
        ReleaseImage, release=release, alt_text="Second", position=1, data=png_bytes(), name="b.png"
    )
    document = store_document(release, title="Fact sheet")
    return release, lead, document


def urls_of(release, lead, document):
    return [lead.src, lead.original_url, document.get_absolute_url(), release.get_press_kit_url()]


def test_files_of_a_scheduled_release_appear_at_its_second_and_not_before(client, now):
    release, lead, document = release_with_files(publish_at=now + timedelta(minutes=10))
    go_live = release.publish_at
    with time_machine.travel(go_live - timedelta(seconds=1), tick=False):
        for url in urls_of(release, lead, document):
            assert client.get(url).status_code == 404, url
    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        for url in urls_of(release, lead, document):
            assert client.get(url).status_code == 200, url


def test_files_of_a_draft_are_not_reachable_by_anyone_but_staff(client, admin_user):
    release, lead, document = release_with_files(published=False)
    for url in urls_of(release, lead, document):
        assert client.get(url).status_code == 404, url
    client.force_login(admin_user)
    for url in urls_of(release, lead, document):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_directives(response)
        assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize(("status", "found"), [(Status.WITHDRAWN, 200), (Status.UNPUBLISHED, 404)])
def test_a_withdrawn_release_keeps_its_files_and_one_published_in_error_loses_them(
    client, status, found
):
    release, lead, document = release_with_files()
    Release.objects.filter(pk=release.pk).update(status=status)
    for url in urls_of(release, lead, document):
        assert client.get(url).status_code == found, url


def test_guessed_keys_and_names_are_not_found(client):
    release, lead, document = release_with_files()
    name = lead.original["name"].rsplit("/", 1)[1]
    assert client.get(f"/files/release-images/{uuid.uuid4()}/{name}").status_code == 404
    assert client.get(f"/files/release-images/{lead.key}/original.jpg").status_code == 404
    assert client.get(f"/files/release-images/{lead.key}/..%2F..%2Fsettings.py").status_code == 404
    assert client.get(f"/files/documents/{uuid.uuid4()}/fact-sheet.pdf").status_code == 404
    assert client.get("/files/press-kits/999999/").status_code == 404


def test_renditions_of_public_releases_are_cached_for_good_and_revalidated_by_etag(client):
    release, lead, document = release_with_files()
    eight_days_later = timezone.now() + timedelta(days=8)
    with time_machine.travel(eight_days_later):
        response = client.get(lead.src)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = response["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert client.get(lead.src, headers={"if-none-match": etag}).status_code == 304
    body = b"".join(response.streaming_content)
    assert body == default_storage.open(lead.fallback["name"]).read()


def test_documents_are_served_with_their_title_as_file_name(client):
    release, lead, document = release_with_files()
    response = client.get(document.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="fact-sheet.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=300"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_press_kit_holds_the_originals_the_documents_and_the_credits(client):
    release, lead, document = release_with_files(slug="police-week")
    response = client.get(release.get_press_kit_url())
    assert response["Content-Type"] == "application/zip"
    kit = f"{release.publication_date:%Y-%m-%d}-police-week-press-kit"
    assert f'filename="{kit}.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(
        [
            f"{kit}/images/01-chief-larkin-speaks.jpg",
            f"{kit}/images/02-second.png",
            f"{kit}/documents/01-fact-sheet.pdf",
            f"{kit}/credits.txt",
        ]
    )
    assert (
        archive.read(f"{kit}/images/01-chief-larkin-speaks.jpg")
        == default_storage.open(lead.original["name"]).read()
    )
    credits = archive.read(f"{kit}/credits.txt").decode()
    assert "Chief Larkin speaks" in credits and "Credit: CACP" in credits
    etag = response["ETag"]
    assert (
        client.get(release.get_press_kit_url(), headers={"if-none-match": etag}).status_code == 304
    )


def test_a_release_without_files_has_no_press_kit(client):
    release = make_release()
    assert client.get(release.get_press_kit_url()).status_code == 404
    assert "Download press kit" not in client.get(release.get_absolute_url()).text


def test_a_campaign_visual_stays_hidden_until_one_of_its_releases_is_public(client, now):
    campaign = make_campaign()
    visual = store_image(CampaignVisual, campaign=campaign, alt_text="Police Week poster")
    release = make_release(campaign=campaign, publish_at=now + timedelta(minutes=5))
    with time_machine.travel(release.publish_at - timedelta(seconds=1), tick=False):
        assert client.get(visual.src).status_code == 404
        assert "Police Week poster" not in client.get(campaign.get_absolute_url()).text
    with time_machine.travel(release.publish_at + timedelta(seconds=1), tick=False):
        assert client.get(visual.src).status_code == 200
        assert "Police Week poster" in client.get(campaign.get_absolute_url()).text


def test_a_spokesperson_headshot_is_shown_on_their_page(client):
    person = make_spokesperson(announce_now=True)
    headshot = store_image(SpokespersonHeadshot, spokesperson=person, alt_text="Chief Larkin")
    html = client.get(person.get_absolute_url()).text
    assert f'src="{headshot.src}"' in html and 'alt="Chief Larkin"' in html
    assert client.get(headshot.src).status_code == 200


def test_the_release_page_shows_a_responsive_lead_image_a_lazy_gallery_and_documents(client):
    release, lead, document = release_with_files()
    html = client.get(release.get_absolute_url()).text
    assert '<source type="image/webp"' in html
    assert f'srcset="{lead.webp_srcset}"' in html and " 400w, " in lead.webp_srcset
    lead_tag = html[html.index(f'src="{lead.src}"') :].split(">", 1)[0]
    assert f'width="{lead.fallback["width"]}"' in lead_tag and "height=" in lead_tag
    assert 'sizes="' in lead_tag and 'loading="lazy"' not in lead_tag
    assert 'alt="Second"' in html
    gallery_tag = html[html.index('alt="Second"') :].split(">", 1)[0]
    assert 'loading="lazy"' in gallery_tag
    assert "Chief Larkin speaks" in html and "Photo: CACP" in html
    assert f'href="{document.get_absolute_url()}">Fact sheet</a>' in html
    assert f"(PDF, {filesizeformat(document.size)})" in html
    assert f'href="{release.get_press_kit_url()}"' in html and "Download press kit" in html


def test_the_social_image_is_the_lead_images_1200_by_630_card(client):
    release, lead, document = release_with_files()
    card = release.social_image
    assert (card.width, card.height, card.alt) == (1200, 630, "Lead")
    assert card.absolute_url == "https://news.example.org" + card.url
    response = client.get(card.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_the_release_page_runs_a_constant_number_of_queries_whatever_its_files(
    client, django_assert_max_num_queries
):
    release = make_release()
    for position in range(6):
        store_image(
            ReleaseImage, release=release, position=position, data=jpeg_bytes(photo(120, 80))
        )
        store_document(release, title=f"Document {position}")
    client.get(release.get_absolute_url())
    with django_assert_max_num_queries(6):
        assert client.get(release.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.pdf", b"<html>not a pdf</html>", "is not a PDF"),
        ("photo.pdf", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "is not a PDF"),
        ("cut.pdf", pdf_bytes()[: len(pdf_bytes()) // 2], "This PDF is incomplete"),
        ("fake.docx", b"PK\x03\x04 broken", "is not a Word"),
        ("script.exe", b"MZ", "Upload a PDF"),
        ("notes.doc", b"\xd0\xcf\x11\xe0", "Upload a PDF"),
    ],
)
def test_documents_that_are_not_what_they_claim_are_refused(name, data, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        validate_document_upload(upload(name, data))
    assert message in error.value.messages[0]


def test_documents_over_the_size_limit_are_refused(settings):
    from django.core.exceptions import ValidationError

    settings.NEWSROOM_DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="documents may be at most"):
        validate_document_upload(upload("big.pdf", b"%PDF-1.7\n" + b"0" * 2000))


def test_a_word_document_is_accepted_and_offered_as_a_download(client):
    release = make_release()
    document = store_document(release, title="Speaking notes", data=docx_bytes(), name="n.docx")
    assert document.kind == "docx" and document.size == len(docx_bytes())
    response = client.get(document.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="speaking-notes.docx"' in response["Content-Disposition"]


def test_the_admin_attaches_a_pdf_and_refuses_a_fake_one(client, admin_user, settings):
    client.force_login(admin_user)
    release = make_release(published=False)
    url = reverse("admin:releases_release_change", args=[release.pk])

    def post(name, data):
        form = {
            "release_type": release.release_type,
            "language": "en",
            "headline": release.headline,
            "slug": release.slug,
            "dateline_city": "Ottawa",
            "body": release.body,
            "documents-0-title": "Fact sheet",
            "documents-0-position": "0",
            "documents-0-upload": upload(name, data),
        }
        for inline, total in (
            ("quotes", 0),
            ("images", 0),
            ("documents", 1),
            ("advisory_event", 0),
        ):
            form |= {
                f"{inline}-TOTAL_FORMS": str(total),
                f"{inline}-INITIAL_FORMS": "0",
                f"{inline}-MIN_NUM_FORMS": "0",
                f"{inline}-MAX_NUM_FORMS": "1000",
            }
        return client.post(url, form)

    refused = post("fact-sheet.pdf", b"<html>")
    assert refused.status_code == 200 and "This file is not a PDF document." in refused.text
    # The browser will not send the file again: the author is told to choose it again.
    assert "the files you chose were not uploaded" in refused.text
    assert not release.documents.exists()
    assert post("fact-sheet.pdf", pdf_bytes()).status_code == 302
    document = release.documents.get()
    assert document.size == len(pdf_bytes()) and document.file.name.startswith("documents/")
    assert "fact-sheet" not in document.file.name
    assert "fact-sheet.pdf" in client.get(url).text


def test_deleting_a_release_removes_the_files_of_its_images_and_documents(
    settings, django_capture_on_commit_callbacks
):
    release, _, _ = release_with_files(published=False)
    assert files_under(settings.MEDIA_ROOT)
    with django_capture_on_commit_callbacks(execute=True):
        release.delete()
    assert not files_under(settings.MEDIA_ROOT)


def test_a_reviewer_with_a_preview_link_sees_the_release_files_while_the_link_works(client):
    from django.test import Client

    from releases.workflow import publishing

    release, lead, document = release_with_files(published=False)
    link, token = publishing.create_preview_link(release=release, by=None)
    assert client.get(reverse("releases:preview-link", args=[token])).status_code == 200
    for url in urls_of(release, lead, document):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_directives(response)
    for url in urls_of(release, lead, document):
        assert Client().get(url).status_code == 404, url  # no link opened: nothing
    publishing.revoke_preview_link(link=link, by=None)
    for url in urls_of(release, lead, document):
        assert client.get(url).status_code == 404, url


def test_a_document_has_one_address_and_its_old_name_leads_to_it(client, now):
    """Any other file name gave the same file under that name; a renamed document's old
    address, already in journalists' notes, still leads to it."""
    release, lead, document = release_with_files()
    old_url = document.get_absolute_url()
    document.title = "Fact sheet, revised"
    document.save()
    for url in (old_url, old_url.replace("fact-sheet.pdf", "anything.exe")):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == document.get_absolute_url()
        # As briefly as the file: a title may change back (a→b kept forever, then b→a, loops).
        assert response["Cache-Control"] == "public, max-age=300"
    assert client.get(document.get_absolute_url()).status_code == 200
    embargoed = release_with_files(publish_at=now + timedelta(hours=1))[2]
    assert client.get(embargoed.get_absolute_url().replace(".pdf", ".exe")).status_code == 404


def test_a_documents_other_name_seen_in_a_preview_is_private(client, admin_user, now):
    """A shared cache must not keep a staff member's redirect to an embargoed document."""
    document = release_with_files(publish_at=now + timedelta(hours=1))[2]
    client.force_login(admin_user)
    response = client.get(document.get_absolute_url().replace(".pdf", ".exe"))
    assert response.status_code == 301
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
