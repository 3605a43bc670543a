import functools

import rules
from django.urls import reverse

from .models import Agency
from .registry import portal
from .sponsor_rule import current_sponsor_rule


def portal_context(request) -> dict:
    """The agency's name and the navigation everywhere; the sponsor-rule warning for those
    who must fix it."""
    user = getattr(request, "user", None)
    context = {"agency": Agency.current()}
    if user is None or not user.is_authenticated:
        return context
    links = navigation(request)
    context["nav_links"] = [link for link in links if link["place"] == "main"]
    context["person_links"] = [link for link in links if link["place"] == "person"]
    if rules.has_perm("teams.see_sponsor_rule_warning", user):
        rule = current_sponsor_rule()
        context["sponsor_rule_broken"] = not rule.holds
        context["sponsor_rule_problems"] = rule.problems
    return context


@functools.cache
def _url(url_name: str) -> str:
    # The navigation's addresses never change while the process runs.
    return reverse(url_name)


def navigation(request) -> list[dict]:
    path = request.path
    links = []
    for link in portal.nav_links:
        if link.perm and not rules.has_perm(link.perm, request.user):
            continue
        url = _url(link.url_name)
        current = path == url or (
            any(path.startswith(prefix) for prefix in link.prefixes)
            and not any(path.startswith(prefix) for prefix in link.excludes)
        )
        links.append(
            {
                "label": link.label,
                "url": url,
                "current": current,
                "place": link.place,
                "badge": link.badge(request) if link.badge else 0,
                "badge_label": link.badge_label,
                "icon": link.icon,
            }
        )
    return links
