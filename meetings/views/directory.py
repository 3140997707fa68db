"""The directory of the other side, a counterpart's card, and recommendations."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from common.errors import ForumError
from meetings.choices import MEETING_LANGUAGES, RequestStatus
from meetings.forms.requests import DirectoryFilterForm, MeetingRequestForm
from meetings.selectors import meetings as selectors
from meetings.services.requests import (
    request_meeting,
)
from meetings.views.participant import ParticipantView

DIRECTORY_PAGE_SIZE = 20


class DirectoryView(ParticipantView):
    section = "directory"

    def get(self, request):
        form = DirectoryFilterForm(request.GET or None, edition=self.edition)
        profiles = selectors.directory_cards(
            edition=self.edition, viewer=self.registration, **form.filters()
        )
        page = Paginator(profiles, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            "directory.html",
            {"filter_form": form, "page": page, "query": query.urlencode()},
        )


class CounterpartView(ParticipantView):
    """One listed profile, with the form to ask for a meeting."""

    section = "directory"

    def counterpart(self, pk: int):
        profile = selectors.listed_profile(edition=self.edition, pk=pk, viewer=self.registration)
        if profile is None:
            raise Http404(_("This profile is not in the directory."))
        return profile

    def page(self, counterpart, form, *, status=200):
        open_request = selectors.open_request_between(
            registration=self.registration, other=counterpart.registration
        )
        return self.render(
            "counterpart.html",
            {
                "counterpart": counterpart,
                "form": form,
                "open_request": open_request,
                "language_names": [
                    str(name) for code, name in MEETING_LANGUAGES if code in counterpart.languages
                ],
            },
            status=status,
        )

    def get(self, request, pk: int):
        counterpart = self.counterpart(pk)
        return self.page(counterpart, MeetingRequestForm(edition=self.edition))

    def post(self, request, pk: int):
        counterpart = self.counterpart(pk)
        form = MeetingRequestForm(request.POST, edition=self.edition)
        if not form.is_valid():
            return self.page(counterpart, form)
        try:
            meeting_request = request_meeting(
                sender=self.registration,
                receiver=counterpart.registration,
                priority=form.cleaned_data["priority"],
                message=form.cleaned_data["message"],
                project=form.cleaned_data["project"],
            )
        except ForumError as error:
            form.add_error(None, error.message)
            return self.page(counterpart, form)
        if meeting_request.status == RequestStatus.PENDING_REVIEW:
            messages.success(
                request,
                _("Your request is sent. The organisers review it before it reaches %(name)s.")
                % {"name": counterpart.registration.name_both},
            )
        else:
            messages.success(
                request,
                _("Your request is sent to %(name)s.")
                % {"name": counterpart.registration.name_both},
            )
        return redirect("meetings:request", pk=meeting_request.pk)


class RecommendationsView(ParticipantView):
    section = "recommendations"

    def get(self, request):
        return self.render(
            "recommendations.html",
            {
                "recommended": selectors.recommendations(
                    registration=self.registration, profile=self.profile
                )
            },
        )
