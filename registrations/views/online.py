"""The online forum's attendee pages: a personal join link, the waiting page, the way in."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from common.errors import ForumError
from registrations.forms.manage import FeedbackForm
from registrations.ics import sessions_calendar
from registrations.models import SessionFeedback
from registrations.selectors.online import join_opens_minutes, join_refusal, session_with_streams
from registrations.services.attendance import AFTER, BEFORE, join_window, record_attendance
from registrations.services.feedback import may_rate, rate_session
from registrations.tokens import TokenError, read_join_token
from registrations.views.support import invalid_link, no_referrer

JOIN_SESSION_KEY = "registrations_join"


@method_decorator([never_cache, no_referrer], name="dispatch")
class JoinTokenView(View):
    """The emailed link: its token moves into the browser's session (never into a rendered
    page's address or a Referer), then the session's own page decides what to show.

    A mail scanner that opens the link records no attendance: it carries no session cookie to
    the next address, where attendance is recorded.
    """

    def get(self, request, token: str):
        try:
            _registration, session_id = read_join_token(token)
        except TokenError as error:
            return invalid_link(request, error)
        held = request.session.get(JOIN_SESSION_KEY)
        held = dict(held) if isinstance(held, dict) else {}
        held[str(session_id)] = token
        request.session[JOIN_SESSION_KEY] = held
        return redirect("registrations:join_session", session_id=session_id)


class JoinGrantMixin:
    """Pages of one session reached through the join link this browser holds for it."""

    def dispatch(self, request, *args, session_id: int, **kwargs):
        held = request.session.get(JOIN_SESSION_KEY)
        token = held.get(str(session_id)) if isinstance(held, dict) else None
        if not isinstance(token, str):
            return render(request, "registrations/join_no_link.html", status=403)
        try:
            self.registration, token_session = read_join_token(token)
        except TokenError as error:
            return invalid_link(request, error)
        if token_session != session_id:
            return render(request, "registrations/join_no_link.html", status=403)
        self.session = session_with_streams(registration=self.registration, session_id=session_id)
        if self.session is None:
            raise Http404
        refusal = join_refusal(registration=self.registration, session=self.session)
        if refusal is not None:
            return render(
                request,
                "registrations/join_refused.html",
                {"reason": refusal, "session": self.session, "edition": self.session.edition},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class JoinSessionView(JoinGrantMixin, View):
    """Before the window: a waiting page. In it: the stream (chosen, or the only one), and the
    attendance recorded. After: the session has ended (and its recordings, once published)."""

    def get(self, request):
        session = self.session
        window = join_window(session=session, opens_minutes=join_opens_minutes(self.registration))
        now = timezone.now()
        state = window.state(now)
        streams = list(session.streams.all())
        context = {
            "registration": self.registration,
            "session": session,
            "edition": session.edition,
            "window": window,
            "streams": streams,
            "state": state,
        }
        if state == BEFORE:
            # The page reloads itself when the link opens (a meta refresh: no script needed).
            context["refresh_seconds"] = min(int((window.opens_at - now).total_seconds()) + 1, 3600)
            return render(request, "registrations/join_waiting.html", context)
        if state == AFTER:
            return self.ended(context)
        chosen = request.GET.get("stream")
        stream = next((s for s in streams if s.language == chosen), None)
        if stream is None and len(streams) == 1 and not streams[0].passcode:
            stream = streams[0]
        if stream is None:
            return render(request, "registrations/join_choose.html", context)
        record_attendance(registration=self.registration, session=session, stream=stream, now=now)
        response = HttpResponseRedirect(stream.url)
        # The platform learns nothing of our addresses. Not on this page's own answers: with
        # no-referrer, Chromium posts the rating form with "Origin: null", which CSRF refuses.
        response["Referrer-Policy"] = "no-referrer"
        return response

    def ended(self, context, *, form=None, status=200):
        """The recordings and materials once public, and the rating form for who attended."""
        if may_rate(registration=self.registration, session=self.session):
            context["feedback_form"] = form or FeedbackForm(
                action=reverse("registrations:join_feedback", args=[self.session.pk])
            )
        context["feedback"] = SessionFeedback.objects.filter(
            registration=self.registration, session=self.session
        ).first()
        return render(self.request, "registrations/join_ended.html", context, status=status)

    def post(self, request):
        """The rating form (posted to /feedback/, which routes here)."""
        form = FeedbackForm(
            request.POST, action=reverse("registrations:join_feedback", args=[self.session.pk])
        )
        context = {
            "registration": self.registration,
            "session": self.session,
            "edition": self.session.edition,
            "window": join_window(
                session=self.session, opens_minutes=join_opens_minutes(self.registration)
            ),
        }
        if not form.is_valid():
            return self.ended(context, form=form, status=400)
        try:
            rate_session(
                registration=self.registration,
                session=self.session,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ForumError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("registrations:join_session", session_id=self.session.pk)


@method_decorator(never_cache, name="dispatch")
class JoinCalendarView(JoinGrantMixin, View):
    def get(self, request):
        response = HttpResponse(
            sessions_calendar(self.registration, [self.session]), content_type="text/calendar"
        )
        response["Content-Disposition"] = f'attachment; filename="session-{self.session.pk}.ics"'
        return response
