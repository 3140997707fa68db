"""The back office's admin pages; importing them registers their admin classes."""

from backoffice.admin import (  # noqa: F401
    attendance,
    bulk,
    exports,
    invitations,
    mailtemplates,
    registrations,
)
