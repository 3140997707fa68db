"""Fills the sessions' seat counters (forum 0010) from the bookings that exist."""

from django.db import migrations
from django.db.models import Count, Max, Q


def fill(apps, schema_editor):
    Session = apps.get_model("forum", "Session")
    sessions = Session.objects.annotate(
        booked=Count("bookings", filter=Q(bookings__status="booked")),
        last_place=Max("bookings__position", filter=Q(bookings__status="waiting")),
    )
    for session in sessions:
        # A session booked beyond a capacity lowered by hand counts as full, no more.
        taken = 0 if session.capacity is None else min(session.booked, session.capacity)
        Session.objects.filter(pk=session.pk).update(
            seats_taken=taken, last_waiting_place=session.last_place or 0
        )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0010_session_seat_counters"),
        ("registrations", "0021_session_feedback"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
