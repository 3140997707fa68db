"""A fixed-window rate limiter on the shared cache, so every app process counts the same hits."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# scope: (hits allowed, window in seconds). Settings may override with REGISTRATION_RATE_LIMITS.
DEFAULT_LIMITS = {
    "register_ip": (20, 3600),
    "register_email": (5, 3600),
    "send_link_ip": (20, 3600),
    "send_link_email": (3, 3600),
}


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "REGISTRATION_RATE_LIMITS", {})}


def client_address(request) -> str:
    # X-Forwarded-For is only believed when settings say a trusted proxy sets it.
    if getattr(settings, "RATE_LIMIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, ident: str) -> bool:
    """Counts one hit for `ident` in `scope`; False once the limit for the window is passed."""
    allowed, window = limits()[scope]
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the window's key expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count <= allowed
