"""The psycopg cursor behind `common.db.prepared_cursor` (PostgreSQL only)."""

from django.db.backends.postgresql.base import ServerBindingCursor


class PreparingCursor(ServerBindingCursor):
    """Django's server-side binding cursor, preparing every statement it runs (psycopg keeps
    the prepared statements per connection, the most recent 100)."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)
