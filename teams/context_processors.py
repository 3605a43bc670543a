from .access import standing
from .models import Agency
from .selectors import sponsor_rule


def portal(request) -> dict:
    """The agency's name everywhere, and the sponsor-rule warning for those who must fix it."""
    user = getattr(request, "user", None)
    context = {"agency": Agency.current()}
    if user is not None and user.is_authenticated:
        person = standing(user)
        context["standing"] = person
        if person.may_appoint_sponsors or person.is_admin:
            rule = sponsor_rule()
            context["sponsor_rule_broken"] = not rule.holds
            context["sponsor_rule_problems"] = rule.problems
    return context
