"""A fixed-window rate limiter in the database, so every app process counts the same hits.

One statement per request — an upsert that returns the new counts — makes counting atomic
across processes on PostgreSQL and SQLite alike (a cache's get-then-set `incr` is not, with the
database cache). On PostgreSQL the table is unlogged, so a hit waits for no disk flush; a
crash forgets recent hits, which is harmless.
"""

import datetime as dt
import hashlib
import ipaddress
import time

from django.conf import settings
from django.db import connection
from django.utils import timezone

from common.db import prepared_cursor
from common.models import RateLimitCounter

# scope: (hits allowed, window in seconds). Settings may override with REGISTRATION_RATE_LIMITS.
DEFAULT_LIMITS = {
    "register_ip": (20, 3600),
    "register_email": (5, 3600),  # per email and connection
    "send_link_ip": (20, 3600),
    "send_link_email": (3, 3600),  # per email and connection
    "send_link_inbox": (10, 3600),  # links sent to one inbox, whoever asks: silent
    # Signed-in pages count per person and, far more loosely, per address: a whole company
    # behind one NAT address shares the address's bucket.
    "manage_ip": (600, 3600),
    "manage_registration": (30, 3600),
    "meetings_ip": (1200, 3600),
    "meetings_participant": (120, 3600),
    "email_change_registration": (3, 3600),
    "email_change_inbox": (3, 3600),  # changes to one new address, from any registration
    "admin_login_ip": (20, 900),
    "admin_login_user": (5, 900),  # per username and connection
}

UPSERT = (
    "INSERT INTO {table} (key, count, expires_at) VALUES {values} "
    "ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING key, count"
)


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "REGISTRATION_RATE_LIMITS", {})}


def client_address(request) -> str:
    """The address of the client, as counted: behind N trusted proxies, the Nth from the right.

    Each proxy appends the address it was connected from to X-Forwarded-For, so the entries a
    client wrote itself are on the left and can't be believed; the rightmost N were written by
    our own proxies (settings.TRUSTED_PROXY_COUNT, 0 = no proxy: REMOTE_ADDR). IPv6 clients are
    counted by their /64 network, since one subscriber usually holds a whole /64.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        # Fewer entries than proxies means a request that didn't come through them all.
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return _normalised(address)


def _normalised(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def hit(scope: str, ident: str) -> bool:
    """Counts one hit for `ident` in `scope`; False once the limit for the window is passed."""
    return hit_all([(scope, ident)])


def hit_all(hits: list[tuple[str, str]]) -> bool:
    """Counts one hit in each (scope, ident) in one statement; False if any limit is passed."""
    configured = limits()
    now = time.time()
    rows, allowed = [], {}
    for scope, ident in hits:
        limit, window = configured[scope]
        digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
        number = int(now // window)
        key = f"{scope}:{digest}:{number}"
        rows.append((key, dt.datetime.fromtimestamp((number + 1) * window, tz=dt.UTC)))
        allowed[key] = limit
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    sql = UPSERT.format(table=table, values=", ".join(["(%s, 1, %s)"] * len(rows)))
    with prepared_cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        counts = dict(cursor.fetchall())
    return all(counts[key] <= limit for key, limit in allowed.items())


def retry_after(scope: str) -> int:
    """Seconds until the current window of `scope` ends (a 429's Retry-After)."""
    _limit, window = limits()[scope]
    return max(1, int(window - time.time() % window))


def purge_expired(now: dt.datetime | None = None) -> int:
    deleted, _ = RateLimitCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
