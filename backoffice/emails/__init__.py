"""The back office's emails: the bulk email (bulk.py) and the test of an edited email
(mailtemplates.py); `KINDS` lists both, named on the app's config."""

from backoffice.emails.bulk import KINDS as BULK_KINDS
from backoffice.emails.mailtemplates import KINDS as MAIL_TEMPLATE_KINDS

KINDS = [*BULK_KINDS, *MAIL_TEMPLATE_KINDS]
