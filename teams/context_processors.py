import rules
from django.urls import reverse

from .models import Agency
from .registry import portal
from .sponsor_rule import sponsor_rule


def portal_context(request) -> dict:
    """The agency's name and the navigation everywhere; the sponsor-rule warning for those
    who must fix it."""
    user = getattr(request, "user", None)
    context = {"agency": Agency.current()}
    if user is None or not user.is_authenticated:
        return context
    context["nav_links"] = navigation(request)
    if rules.has_perm("teams.see_sponsor_rule_warning", user):
        rule = sponsor_rule()
        context["sponsor_rule_broken"] = not rule.holds
        context["sponsor_rule_problems"] = rule.problems
    return context


def navigation(request) -> list[dict]:
    path = request.path
    links = []
    for link in portal.nav_links:
        if link.perm and not rules.has_perm(link.perm, request.user):
            continue
        url = reverse(link.url_name)
        current = path == url or (
            any(path.startswith(prefix) for prefix in link.prefixes)
            and not any(path.startswith(prefix) for prefix in link.excludes)
        )
        links.append({"label": link.label, "url": url, "current": current})
    return links
