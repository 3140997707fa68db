"""Rate limits count the client's own address, also behind our proxies, and can't be aimed at
someone else's email."""

import pytest
from django.test import RequestFactory

from common.ratelimit import client_address
from registrations.models import Registration
from tests.registrations.data import form_data


def address(settings, proxies: int, *, remote: str, forwarded: str | None = None) -> str:
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_without_a_proxy_the_connections_address_counts_and_the_header_is_ignored(settings):
    assert address(settings, 0, remote="203.0.113.7") == "203.0.113.7"
    assert address(settings, 0, remote="203.0.113.7", forwarded="1.2.3.4") == "203.0.113.7"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    # The proxy (10.0.0.2) appends the client it was connected from.
    assert address(settings, 1, remote="10.0.0.2", forwarded="198.51.100.20") == "198.51.100.20"


def test_behind_two_proxies_the_address_the_outer_one_saw_counts(settings):
    # client → CDN (appends 198.51.100.20) → load balancer (appends the CDN, 192.0.2.5) → app
    forwarded = "198.51.100.20, 192.0.2.5"
    assert address(settings, 2, remote="10.0.0.2", forwarded=forwarded) == "198.51.100.20"


@pytest.mark.parametrize("proxies", [1, 2])
def test_a_spoofed_leftmost_entry_is_not_believed(settings, proxies):
    # The client sends "X-Forwarded-For: 1.2.3.4" itself; our proxies append after it.
    forwarded = "1.2.3.4, 198.51.100.20" + (", 192.0.2.5" if proxies == 2 else "")
    assert address(settings, proxies, remote="10.0.0.2", forwarded=forwarded) == "198.51.100.20"


def test_a_request_that_skipped_the_proxies_counts_by_its_connection(settings):
    assert address(settings, 2, remote="10.0.0.2", forwarded="1.2.3.4") == "10.0.0.2"
    assert address(settings, 1, remote="10.0.0.2", forwarded="") == "10.0.0.2"


def test_ipv6_clients_count_by_their_64_network(settings):
    assert address(settings, 0, remote="2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert address(settings, 0, remote="2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert address(settings, 0, remote="::ffff:198.51.100.20") == "198.51.100.20"


def test_behind_the_proxy_each_visitor_has_their_own_limit(client, open_edition, settings):
    """The reported fault: every attendee shared the proxy's address and its 20 an hour."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REGISTRATION_RATE_LIMITS = {"register_ip": (2, 3600)}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(2):
        response = client.post(
            "/register/",
            form_data(email=f"p{n}@example.org"),
            HTTP_X_FORWARDED_FOR="198.51.100.1",
            **proxy,
        )
        assert response.status_code == 302
    refused = client.post(
        "/register/",
        form_data(email="p2@example.org"),
        HTTP_X_FORWARDED_FOR="198.51.100.1",
        **proxy,
    )
    other = client.post(
        "/register/",
        form_data(email="p3@example.org"),
        HTTP_X_FORWARDED_FOR="198.51.100.2",
        **proxy,
    )
    spoofed = client.post(
        "/register/",
        form_data(email="p4@example.org"),
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1",
        **proxy,
    )
    assert (refused.status_code, other.status_code, spoofed.status_code) == (429, 302, 429)
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "p0@example.org",
        "p1@example.org",
        "p3@example.org",
    ]


def test_five_posts_with_someone_elses_email_do_not_lock_them_out(
    client, open_edition, mailoutbox, run_on_commit
):
    victim = "victim@example.org"
    for _n in range(6):
        client.post("/register/", form_data(email=victim), REMOTE_ADDR="203.0.113.66")
    assert (
        client.post("/register/", form_data(email=victim), REMOTE_ADDR="203.0.113.66").status_code
        == 429
    )

    with run_on_commit():
        response = client.post("/register/", form_data(email=victim), REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302
    assert response.headers["Location"] == "/register/thanks/"
    # Its owner gets the way in: the link to the registration made in their name.
    assert mailoutbox[-1].to == [victim]
    assert "already registered" in mailoutbox[-1].subject


def test_asking_for_someone_elses_link_does_not_lock_them_out(
    client, open_edition, mailoutbox, run_on_commit
):
    owner = "owner@example.org"
    client.post("/register/", form_data(email=owner))
    for _n in range(4):
        client.post("/register/link/", {"email": owner}, REMOTE_ADDR="203.0.113.66")
    with run_on_commit():
        response = client.post("/register/link/", {"email": owner}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302
    assert mailoutbox[-1].to == [owner]


def test_an_inbox_gets_a_bounded_number_of_links_whoever_asks(
    client, open_edition, mailoutbox, run_on_commit, settings
):
    settings.REGISTRATION_RATE_LIMITS = {"send_link_inbox": (2, 3600)}
    owner = "owner@example.org"
    client.post("/register/", form_data(email=owner))
    with run_on_commit():
        responses = [
            client.post("/register/link/", {"email": owner}, REMOTE_ADDR=f"198.51.100.{n}")
            for n in range(4)
        ]
    # The same answer every time; only two links sent.
    assert [response.status_code for response in responses] == [302, 302, 302, 302]
    assert len([message for message in mailoutbox if message.to == [owner]]) == 2
