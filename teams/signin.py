"""Signing in: recorded without an audit row, and the person told at once when an
administrator set their password since they last signed in."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone

from .models import PasswordNotice, User


def record_sign_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    """Keep `last_login` without a history row: a sign-in is not a governance change, and
    Django's own receiver saves the whole person (and so writes one)."""
    user.last_login = timezone.now()
    User.objects.filter(pk=user.pk).update(last_login=user.last_login)


def tell_of_passwords_set_by_others(request: HttpRequest, user: User) -> bool:
    """Say who set the person's password while they were away; True if anyone did."""
    notices = list(
        PasswordNotice.objects.filter(person=user, seen_at__isnull=True).select_related("set_by")
    )
    for notice in notices:
        when = timezone.localtime(notice.set_at)
        messages.warning(
            request,
            f"{notice.set_by}, a portal administrator, set your password on "
            f"{when:%-d %B %Y at %H:%M}. If you did not ask for this, tell your agency's "
            "security contact. Choose a new password that only you know.",
        )
    if notices:
        PasswordNotice.objects.filter(pk__in=[n.pk for n in notices]).update(seen_at=timezone.now())
    return bool(notices)
