"""The rehearsal's online forum: example streams for every session (the floor and Korean
interpretation, on an example address that says so), and its first session shown as if it had
taken place — a recording link and a sample material, public at once — so that a newcomer sees
every state of a session's page and of a join link. Loading it again changes nothing."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from common.choices import Language
from forum.choices import StreamLanguage
from forum.models import Edition, SessionMaterial, SessionRecording, SessionStream

EXAMPLE_SITE = "https://stream.example.org"  # an example address: no platform answers there
SAMPLE_MATERIAL_TITLE = "Sample slides (example material)"
SAMPLE_MATERIAL_NAME = "materials/demo/sample-slides.pdf"


def sample_pdf() -> bytes:
    """A one-page PDF saying it is an example (built here: no binary file in the repository)."""
    text = b"BT /F1 24 Tf 72 720 Td (Sample slides - an example material of the demo) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return body


def load_demo_online(edition: Edition) -> None:
    sessions = list(edition.sessions.order_by("starts_at", "pk"))
    for session in sessions:
        for language in (StreamLanguage.FLOOR, StreamLanguage.KOREAN):
            SessionStream.objects.update_or_create(
                session=session,
                language=language,
                defaults={
                    "url": f"{EXAMPLE_SITE}/{edition.slug}/{session.slug}/{language}",
                    "passcode": "",
                },
            )
    if not sessions:
        return
    first = sessions[0]
    # Public since registration opened (the day the demo was loaded): stable on every load.
    public_from = edition.registration_opens
    SessionRecording.objects.update_or_create(
        session=first,
        language=StreamLanguage.FLOOR,
        defaults={
            "url": f"{EXAMPLE_SITE}/{edition.slug}/{first.slug}/recording",
            "public_from": public_from,
        },
    )
    if not default_storage.exists(SAMPLE_MATERIAL_NAME):
        default_storage.save(SAMPLE_MATERIAL_NAME, ContentFile(sample_pdf()))
    SessionMaterial.objects.update_or_create(
        session=first,
        title=SAMPLE_MATERIAL_TITLE,
        defaults={
            "file": SAMPLE_MATERIAL_NAME,
            "language": Language.ENGLISH,
            "public_from": public_from,
        },
    )
