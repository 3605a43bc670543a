"""People can get back in: a reset link by email, Django's own tokens, the portal's look,
and an answer that never says whether an account exists."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def test_the_sign_in_page_links_to_the_reset(db, client):
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()


def ask_for_a_link(client, email: str):
    return client.post("/accounts/password/reset/", {"email": email}, follow=True)


def test_a_forgotten_password_is_reset_through_the_emailed_link(world, client):
    response = ask_for_a_link(client, "sts@example.org")
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sts@example.org"]
    assert "Lakeland Department of Education" in message.body
    path = LINK.search(message.body).group(1)

    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "willow harbour 2026 kite", "new_password2": "willow harbour 2026 kite"},
        follow=True,
    )
    assert "Your new password is set" in done.content.decode()
    signed = client.post(
        "/accounts/login/", {"username": "sts", "password": "willow harbour 2026 kite"}
    )
    assert signed.status_code == 302 and signed.url == "/"


def test_the_answer_never_says_whether_an_account_exists(world, client):
    known = ask_for_a_link(client, "sts@example.org")
    unknown = ask_for_a_link(client, "nobody-here@example.org")
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert len(mail.outbox) == 1


def test_a_link_works_once(world, client):
    ask_for_a_link(client, "sts@example.org")
    path = LINK.search(mail.outbox[0].body).group(1)
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "willow harbour 2026 kite", "new_password2": "willow harbour 2026 kite"},
    )
    again = client.get(path, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_a_reset_releases_the_lockout(world, client):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "sts", "password": f"wrong {attempt}"})
    assert AccessAttempt.objects.filter(username="sts").exists()
    ask_for_a_link(client, "sts@example.org")
    path = LINK.search(mail.outbox[0].body).group(1)
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "willow harbour 2026 kite", "new_password2": "willow harbour 2026 kite"},
    )
    assert not AccessAttempt.objects.filter(username="sts").exists()
    signed = client.post(
        "/accounts/login/", {"username": "sts", "password": "willow harbour 2026 kite"}
    )
    assert signed.status_code == 302


def test_people_who_never_sign_in_are_sent_no_link(world, client):
    from .factories import UserFactory

    member = UserFactory(username="no-sign-in", email="member@example.org", password=None)
    member.set_unusable_password()
    member.save()
    ask_for_a_link(client, "member@example.org")
    assert mail.outbox == []
