"""The back office's admin pages; importing them registers their admin classes."""

from backoffice.admin import bulk, exports, invitations, registrations  # noqa: F401
