"""Business profiles: what a participant offers and seeks, and their calendar feed address."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.db import atomic
from meetings.choices import (
    MEETING_LANGUAGES,
    ProfileSide,
)
from meetings.errors import MeetingError
from meetings.models import (
    BusinessProfile,
    MeetingSlot,
    new_calendar_secret,
)
from meetings.services.slots import _apply_default_hours
from meetings.services.support import (
    PROFILE_FIELDS,
    _check_participant,
    _close_pending_to,
    _lock_registrations,
    _log,
    listing_problem,
)
from registrations.models import Registration


def _check_profile_data(data: dict[str, Any], *, edition_id: int) -> None:
    """Codes from their lists and projects of this forum, or the error that says which."""
    if "side" in data and data["side"] not in ProfileSide.values:
        raise MeetingError(_("Choose a side."), code="invalid_side")
    known_languages = {code for code, _name in MEETING_LANGUAGES}
    if any(str(code) not in known_languages for code in data.get("languages") or []):
        raise MeetingError(_("Choose languages from the list."), code="invalid_language")
    if any(str(code).upper() not in countries for code in data.get("countries_of_interest") or []):
        raise MeetingError(_("Choose countries from the list."), code="invalid_country")
    for name in ("projects_presented", "projects_of_interest"):
        for project in data.get(name, []) or []:
            if getattr(project, "edition_id", edition_id) != edition_id:
                raise MeetingError(_("Choose projects of this forum only."), code="wrong_project")


def _set_fields(profile: BusinessProfile, data: dict[str, Any]) -> list[str]:
    """Sets the profile's own fields given in `data`; the names of those that changed."""
    changed = []
    for name in PROFILE_FIELDS:
        if name in data and getattr(profile, name) != data[name]:
            setattr(profile, name, data[name])
            changed.append(name)
    if "languages" in data:
        languages = sorted({str(code) for code in data["languages"] or []})
        if languages != list(profile.languages or []):
            profile.languages = languages
            changed.append("languages")
    if "countries_of_interest" in data:
        codes = sorted({str(code).upper() for code in data["countries_of_interest"] or []})
        if codes != sorted(str(c) for c in profile.countries_of_interest):
            profile.countries_of_interest = codes
            changed.append("countries_of_interest")
    return changed


def _set_relations(profile: BusinessProfile, data: dict[str, Any], *, created: bool) -> list[str]:
    """Sets the sectors and projects given in `data` on the saved profile; those that changed."""
    changed = []
    for name in ("sectors", "projects_presented", "projects_of_interest"):
        if name in data:
            wanted = {getattr(item, "pk", item) for item in data[name] or []}
            manager = getattr(profile, name)
            if created or wanted != set(manager.values_list("pk", flat=True)):
                manager.set(wanted)
                changed.append(name)
    return changed


def save_business_profile(
    *, registration: Registration, data: dict[str, Any], user=None
) -> BusinessProfile:
    """Creates or updates the registration's business profile.

    `data` holds side, description, offer, seek, website, listed, languages (codes),
    countries_of_interest (codes), sectors, projects_presented, projects_of_interest
    (model instances or ids); keys left out keep their value.
    """
    if user is None:
        _check_participant(registration)
    _check_profile_data(data, edition_id=registration.edition_id)
    with atomic():
        if user is not None:
            # Locked as withdrawing a consent locks it: staff can't list someone in the moment
            # they withdraw.
            registration = _lock_registrations([registration.pk])[registration.pk]
        profile = BusinessProfile.objects.filter(registration=registration).first()
        created = profile is None
        if created:
            profile = BusinessProfile(registration=registration, side=data.get("side", ""))
        changed = _set_fields(profile, data)
        if user is not None and profile.listed:
            problem = listing_problem(registration)
            if problem:
                raise MeetingError(problem, code="not_listable")
        profile.save()
        changed += _set_relations(profile, data, created=created)
        if created or profile.availability_saved_at is None:
            _apply_default_hours(
                profile.registration,
                MeetingSlot.objects.filter(edition_id=registration.edition_id),
                replace=not created,
            )
        if not profile.listed:
            _close_pending_to(registration, user=user)
        if created or changed:
            _log(
                "created" if created else "changed",
                profile,
                by=None if user else registration,
                user=user,
                fields=changed,
            )
    return profile


def rotate_calendar_secret(*, registration: Registration) -> BusinessProfile:
    """A new calendar feed address; the old one stops working at once."""
    profile = BusinessProfile.objects.get(registration=registration)
    profile.calendar_secret = new_calendar_secret()
    profile.save(update_fields=["calendar_secret", "updated_at"])
    _log("calendar_link_renewed", profile, by=registration)
    return profile
