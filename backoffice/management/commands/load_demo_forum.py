"""`manage.py load_demo_forum`: loads the demo forum, every app; optionally a staff account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from backoffice.demo import load_demo_forum

DEMO_STAFF_USERNAME = "demo-staff"
DEMO_STAFF_PASSWORD = "connectivity-2022"  # noqa: S105 — a printed demo login, made only on request


class Command(BaseCommand):
    help = "Load the 9th ASEAN Connectivity Forum as demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-staff",
            action="store_true",
            help="Also create (or reset) a demo staff account in the Organiser group and print it.",
        )

    def handle(self, *args, with_staff: bool = False, **options):
        edition = load_demo_forum()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {edition} ({edition.sessions.count()} sessions).")
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
