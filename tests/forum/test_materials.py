"""Session materials and recordings: checked uploads, shown on the session page once public."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forum.models import SessionMaterial, SessionRecording
from forum.models.online import validate_material_file
from tests.factories import SessionFactory, SessionSpeakerFactory, SpeakerFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office_file(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content"),
    [("slides.pdf", PDF), ("deck.pptx", office_file("ppt/")), ("figures.XLSX", office_file("xl/"))],
)
def test_pdf_pptx_and_xlsx_are_accepted(name, content):
    validate_material_file(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("run.exe", b"MZ", "material_type"),
        ("notes", PDF, "material_type"),
        ("slides.pdf", b"<html>not a pdf</html>", "material_content"),
        ("deck.pptx", office_file("xl/"), "material_content"),
        ("deck.pptx", PDF, "material_content"),
    ],
)
def test_other_files_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as refused:
        validate_material_file(SimpleUploadedFile(name, content))
    assert refused.value.code == code


def test_a_file_over_the_limit_is_refused(settings):
    settings.MATERIAL_MAX_MB = 1
    with pytest.raises(ValidationError) as refused:
        validate_material_file(SimpleUploadedFile("big.pdf", PDF + b"0" * 1024 * 1024))
    assert refused.value.messages == ["The file is larger than 1 MB."]


@pytest.mark.django_db
def test_the_session_page_shows_what_is_public_in_both_languages(client, edition, media):
    session = SessionFactory(edition=edition, title="Keynotes")
    past = timezone.now() - dt.timedelta(minutes=1)
    future = timezone.now() + dt.timedelta(days=1)
    slides = SessionMaterial.objects.create(
        session=session,
        title="Keynote slides",
        file=SimpleUploadedFile("keynote.pdf", PDF),
        language="en",
        public_from=past,
    )
    SessionMaterial.objects.create(
        session=session,
        title="Embargoed",
        file=SimpleUploadedFile("later.pdf", PDF),
        language="ko",
        public_from=future,
    )
    SessionRecording.objects.create(
        session=session, url="https://video.example.org/keynotes", public_from=past
    )
    SessionRecording.objects.create(
        session=session, language="ko", url="https://video.example.org/ko", public_from=future
    )

    english = client.get(session.get_absolute_url()).content.decode()
    korean = client.get("/ko" + session.get_absolute_url()).content.decode()
    download = client.get(slides.get_absolute_url())

    assert "Keynote slides" in english and "Keynote slides" in korean
    assert "https://video.example.org/keynotes" in english
    assert "https://video.example.org/keynotes" in korean
    assert "Recording: Floor (original language)" in english
    assert "녹화 영상: 원어 (현장 음성)" in korean
    for page in (english, korean):
        assert "Embargoed" not in page
        assert "https://video.example.org/ko" not in page
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == f'attachment; filename="{slides.filename}"'


@pytest.mark.django_db
def test_a_material_not_public_yet_cannot_be_downloaded(client, edition, media):
    later = SessionMaterial.objects.create(
        session=SessionFactory(edition=edition),
        title="Embargoed",
        file=SimpleUploadedFile("later.pdf", PDF),
        language="en",
        public_from=timezone.now() + dt.timedelta(hours=1),
    )

    assert client.get(later.get_absolute_url()).status_code == 404
    assert client.get(f"/programme/materials/{later.pk}/other.pdf").status_code == 404


@pytest.mark.django_db
def test_a_presentations_material_names_its_speaker_on_the_session_page(client, edition, media):
    session = SessionFactory(edition=edition, title="Panel")
    talk = SessionSpeakerFactory(
        session=session, speaker=SpeakerFactory(name="Yeap Samnang", name_ko="얍 삼낭")
    )
    SessionMaterial.objects.create(
        session=session,
        presentation=talk,
        title="MPAC 2025 progress",
        file=SimpleUploadedFile("mpac.pdf", PDF),
        language="en",
        public_from=timezone.now() - dt.timedelta(minutes=1),
    )
    english = client.get(session.get_absolute_url()).content.decode()
    korean = client.get("/ko" + session.get_absolute_url()).content.decode()
    assert re.search(r'MPAC 2025 progress</a>.*material-presentation">— Yeap Samnang<', english)
    assert re.search(r'MPAC 2025 progress</a>.*material-presentation">— 얍 삼낭<', korean)


@pytest.mark.django_db
def test_a_material_belongs_to_a_presentation_of_its_own_session(edition, media):
    session, other = SessionFactory(edition=edition), SessionFactory(edition=edition)
    material = SessionMaterial(
        session=session,
        presentation=SessionSpeakerFactory(session=other),
        title="Slides",
        file=SimpleUploadedFile("slides.pdf", PDF),
        language="en",
        public_from=timezone.now(),
    )
    with pytest.raises(ValidationError) as refused:
        material.full_clean()
    assert refused.value.message_dict == {
        "presentation": ["This presentation belongs to another session."]
    }
    material.presentation, material.title = None, "Slides\nwith a break"
    with pytest.raises(ValidationError) as refused:
        material.full_clean()
    assert list(refused.value.message_dict) == ["title"]


@pytest.mark.django_db
def test_the_admin_offers_only_the_sessions_own_presentations(admin_client, edition):
    session, other = SessionFactory(edition=edition), SessionFactory(edition=edition)
    mine = SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name="Lee Seong-ho"))
    SessionSpeakerFactory(session=other, speaker=SpeakerFactory(name="Someone Else"))
    page = admin_client.get(f"/admin/forum/session/{session.pk}/change/").content.decode()
    select = re.search(
        r'<select name="materials-__prefix__-presentation".*?</select>', page, re.S
    ).group(0)
    assert f'value="{mine.pk}"' in select and "Lee Seong-ho" in select
    assert "Someone Else" not in select
