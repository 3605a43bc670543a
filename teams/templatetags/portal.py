import rules
from django import template

register = template.Library()


@register.simple_tag
def may(perm: str, user, obj=None) -> bool:
    """The portal's rules, asked directly: a superuser holds no role it was not given."""
    return rules.has_perm(perm, user, obj)
