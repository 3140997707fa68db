"""The back office in the staff member's language: English or Korean, as they choose.

The public site takes its language from the address (`/` English, `/ko/` Korean); Django's
LocaleMiddleware therefore reads every address without a prefix, `/admin/` included, as English.
The admin has one address for both languages, so there the language comes from the language
cookie (set by the switcher in the admin's header) or else the browser's Accept-Language.
"""

from django.utils import translation

ADMIN_PREFIX = "/admin/"


class AdminLanguageMiddleware:
    """After LocaleMiddleware: under /admin/ only, the cookie or the browser chooses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
