"""The portal's emails: each with a plain-text and an HTML part, the agency's name, and a
link to the person's preferences; sent through Django's email backend (the console in
the demo, SMTP by settings in production)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from teams.models import Agency, User


def absolute(path: str) -> str:
    """A portal address as a link in an email: the portal's own base address first."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def compose(
    *, to: User, subject: str, template: str, context: dict, why: str
) -> EmailMultiAlternatives:
    """One email from `digests/email/<template>.txt` and `.html`, in the agency's name.

    `why` says in a sentence why the person receives it; the footer adds where to change it.
    """
    agency = Agency.current()
    preferences = absolute(reverse("digests:preferences"))
    context = {
        **context,
        "agency": agency,
        "person": to,
        "preferences_url": preferences,
        "portal_url": absolute("/"),
        "why": why,
    }
    text = render_to_string(f"digests/email/{template}.txt", context)
    html = render_to_string(f"digests/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{agency.short_name}] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to.email],
        headers={"List-Unsubscribe": f"<{preferences}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def send(message: EmailMultiAlternatives) -> str:
    """Send it; the error in a line when the backend refuses (nothing raised), else ""."""
    try:
        message.send(fail_silently=False)
    except Exception as error:  # any backend's failure is this recipient's, not the run's
        return f"{type(error).__name__}: {error}"[:300]
    return ""


def retry_pause(attempts: int) -> timedelta:
    """How long before the next try after `attempts` failed ones: doubling from the
    agency's first pause (`PORTAL_MAIL_RETRY_SECONDS`)."""
    return timedelta(seconds=settings.PORTAL_MAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
