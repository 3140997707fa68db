"""URLs of the attendee side: pre-registration, self-service and business meetings."""

app_name = "registrations"

urlpatterns: list = []
