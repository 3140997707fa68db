"""App configuration for the staff pages beside the stock admin: dashboard, exports, imports."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def copy_edited_emails(sender, **kwargs) -> None:
    """Imports the mail-template services (and the outbox behind them) when an edition starts,
    not at every start-up (docs/performance.md)."""
    from backoffice.services.mailtemplates import copy_mail_templates

    copy_mail_templates(sender, **kwargs)


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back office")
    # The audit trail's codes for the back office, labels shown in the admin.
    audit_actions = {
        "export.created": _("Attendees exported"),
        "export_preset.saved": _("Export preset saved"),
        "edition.personal_data_purged": _("Personal data purged after the retention period"),
        "bulk_email.sent": _("Bulk email sent"),
        "mail_template.created": _("Email edited"),
        "mail_template.changed": _("Edited email changed"),
        "mail_template.deleted": _("Edited email deleted: the shipped one is used"),
        "mail_template.tested": _("Edited email sent as a test"),
    }

    # Its kinds of email (common/emails.py reads them once every app is loaded).
    email_kinds = "backoffice.emails.KINDS"
    # The emails organisers edited, used in place of the shipped ones (common/emails.py).
    email_sources = "backoffice.emails.mailtemplates.edited_source"

    def ready(self) -> None:
        from backoffice.roles import sync_roles_after_migrate
        from forum.signals import edition_started

        # The roles are declared in code; each migrate brings the groups back to them.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        # Its part of starting the next edition: the emails the organisers edited.
        edition_started.connect(copy_edited_emails, dispatch_uid="backoffice")
