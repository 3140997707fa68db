"""`manage.py load_demo_forum`: loads the demo forum, every app; optionally a staff account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from backoffice.demo import load_demo_forum
from common.times import shown

DEMO_STAFF_USERNAME = "demo-staff"
DEMO_STAFF_PASSWORD = "connectivity-2022"  # noqa: S105 — a printed demo login, made only on request


class Command(BaseCommand):
    help = (
        "Load the demo: the 9th ASEAN Connectivity Forum (2022) as a past edition and a "
        "rehearsal edition ahead of today as the current one (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-staff",
            action="store_true",
            help="Also create (or reset) a demo staff account in the Organiser group and print it.",
        )

    def handle(self, *args, with_staff: bool = False, **options):
        edition = load_demo_forum()
        current = "the current edition" if edition.is_current else "not current"
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the 9th forum (2022) as a past edition, and {edition} "
                f"({shown(edition.start_date, 'DATE_FORMAT')} – "
                f"{shown(edition.end_date, 'DATE_FORMAT')}, business meetings "
                f"{shown(edition.meetings_start, 'DATE_FORMAT')} – "
                f"{shown(edition.meetings_end, 'DATE_FORMAT')}; "
                f"{edition.sessions.count()} sessions, {current})."
            )
        )
        if with_staff:
            user, _ = get_user_model().objects.get_or_create(username=DEMO_STAFF_USERNAME)
            user.is_staff = True
            user.email = "demo-staff@example.org"
            user.set_password(DEMO_STAFF_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name="Organiser"))
            self.stdout.write(
                self.style.WARNING(
                    f"Demo staff login: {DEMO_STAFF_USERNAME} / {DEMO_STAFF_PASSWORD} at /admin/ "
                    "(for local demos only)"
                )
            )
