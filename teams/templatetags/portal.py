from datetime import timedelta

import rules
from django import template

register = template.Library()


@register.simple_tag
def may(perm: str, user, obj=None) -> bool:
    """The portal's rules, asked directly: a superuser holds no role it was not given."""
    return rules.has_perm(perm, user, obj)


@register.simple_tag
def settings_links() -> list:
    """The settings sections higher apps keep (teams.registry.SettingsLink), in order."""
    from ..registry import portal

    return list(portal.settings_links)


@register.filter
def in_words(duration: timedelta | None) -> str:
    """A duration as people say it: "30 minutes", "1 hour and 30 minutes", "2 days"."""
    if not duration:
        return ""
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{count} {unit}{'s' * (count != 1)}"
        for count, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if count
    ]
    if not parts:
        return "less than a minute"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
