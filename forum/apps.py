"""App configuration for the programme: editions, sessions, speakers, projects."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Programme")
    # The audit trail's codes for the programme's services (forum/editions.py).
    audit_actions = {
        "edition.started": _("Edition started from another"),
        "edition.made_current": _("Made the current edition"),
    }

    def ready(self):
        from forum import models
        from forum.pagecache import watch_for_content_changes

        watch_for_content_changes(
            [
                models.StrategicArea,
                models.Sector,
                models.Organisation,
                models.Edition,
                models.EditionOrganisation,
                models.ContactPerson,
                models.Speaker,
                models.Session,
                models.SessionSpeaker,
                models.Project,
            ]
        )
