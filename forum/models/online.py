"""The online forum's programme side: streams (staff only), materials and recordings."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.choices import Language
from common.db import choices_constraint
from common.validators import single_line
from forum.choices import StreamLanguage
from forum.models.programme import Session, SessionSpeaker


class SessionStream(models.Model):
    """One channel of a session on a video platform. Never shown on public pages: attendees
    reach it only through their personal join link (registrations)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="streams", verbose_name=_("session")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=StreamLanguage.choices,
        default=StreamLanguage.FLOOR,
    )
    url = models.URLField(
        _("platform address"),
        max_length=500,
        help_text=_("The Zoom, Teams, YouTube Live or other address attendees are sent to."),
    )
    passcode = models.CharField(
        _("passcode"),
        max_length=50,
        blank=True,
        help_text=_("Shown to attendees beside the join button, when the platform asks for one."),
    )

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("online stream")
        verbose_name_plural = _("online streams")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"], name="forum_sessionstream_one_per_language"
            ),
            choices_constraint("forum", "sessionstream", "language", StreamLanguage),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.get_language_display()}"


MATERIAL_TYPES = {
    # extension: (MIME type, what the file must start with, the folder its zip must hold)
    "pdf": ("application/pdf", b"%PDF-", None),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
        "ppt/",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
        "xl/",
    ),
}


def validate_material_file(upload) -> None:
    """PDF, PPTX or XLSX, checked by name and by content, and no larger than MATERIAL_MAX_MB."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in MATERIAL_TYPES:
        raise ValidationError(_("Upload a PDF, PPTX or XLSX file."), code="material_type")
    limit = settings.MATERIAL_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": settings.MATERIAL_MAX_MB},
            code="material_size",
        )
    _mime, magic, folder = MATERIAL_TYPES[extension]
    upload.seek(0)
    start = upload.read(len(magic))
    upload.seek(0)
    matches = start == magic
    if matches and folder is not None:
        try:
            with zipfile.ZipFile(upload) as archive:
                matches = any(name.startswith(folder) for name in archive.namelist())
        except zipfile.BadZipFile:
            matches = False
        upload.seek(0)
    if not matches:
        raise ValidationError(
            _("This file is not the %(kind)s its name says.") % {"kind": extension.upper()},
            code="material_content",
        )


class PublicFromQuerySet(models.QuerySet):
    def public(self, now=None):
        return self.filter(public_from__lte=now or timezone.now())


class SessionMaterial(models.Model):
    """Slides or a document of a session, public on its page from `public_from`."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="materials", verbose_name=_("session")
    )
    # A speaker's presentation within the session (their slides); empty: the session's own.
    presentation = models.ForeignKey(
        SessionSpeaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("presentation"),
        help_text=_("The speaker whose presentation it belongs to; empty for the whole session."),
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    file = models.FileField(
        _("file"),
        upload_to="materials/%Y/",
        max_length=255,
        validators=[validate_material_file],
        help_text=_("PDF, PPTX or XLSX."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    public_from = models.DateTimeField(
        _("public from"), help_text=_("The session page shows it from this time on.")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = PublicFromQuerySet.as_manager()

    class Meta:
        ordering = ["session", "language", "title", "pk"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")
        constraints = [
            choices_constraint("forum", "sessionmaterial", "language", Language),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:material", kwargs={"pk": self.pk, "name": self.filename})

    def clean(self) -> None:
        if (
            self.presentation_id is not None
            and self.session_id is not None
            and self.presentation.session_id != self.session_id
        ):
            raise ValidationError(
                {"presentation": _("This presentation belongs to another session.")},
                code="other_session",
            )

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper()


class SessionRecording(models.Model):
    """Where a session's recording is watched, per language channel, public from a time."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="recordings", verbose_name=_("session")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=StreamLanguage.choices,
        default=StreamLanguage.FLOOR,
    )
    url = models.URLField(_("recording address"), max_length=500)
    public_from = models.DateTimeField(
        _("public from"), help_text=_("The session page shows it from this time on.")
    )

    objects = PublicFromQuerySet.as_manager()

    class Meta:
        ordering = ["session", "language", "pk"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"], name="forum_sessionrecording_one_per_language"
            ),
            choices_constraint("forum", "sessionrecording", "language", StreamLanguage),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.get_language_display()}"
