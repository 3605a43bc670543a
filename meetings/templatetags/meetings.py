import rules
from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..selectors.meetings import shortened

register = template.Library()

_QUORUM = {
    None: mark_safe('<span class="text-body-secondary">Not recorded</span>'),
    True: "Quorum met",
    False: mark_safe("<strong>No quorum</strong>"),
}


@register.simple_tag
def meeting_rows(meetings, show_team: bool = False) -> SafeString:
    """A list's meetings as table rows: when (a link), the team, the status and the quorum.
    Written here rather than as an include per row: the meetings pages list thirty."""

    def cells(meeting):
        team = format_html("<td>{}</td>", meeting.team) if show_team else ""
        when = dateformat.format(timezone.localtime(meeting.starts_at), "D j M Y, H:i")
        return (
            reverse("meetings:meeting", args=[meeting.pk]),
            when,
            team,
            meeting.status,
            meeting.get_status_display(),
            _QUORUM[meeting.quorum_met],
        )

    return format_html_join(
        "\n",
        '<tr><td class="text-nowrap"><a href="{}">{}</a></td>{}'
        '<td><span class="meeting-status meeting-status-{}">{}</span></td><td>{}</td></tr>',
        (cells(meeting) for meeting in meetings),
    )


@register.simple_tag(takes_context=True)
def action_rows(context, items, show_owner: bool = False, show_done: bool = False) -> SafeString:
    """Action items as list entries: what (a link), the team, the owner where asked, where
    it came from, when it is due or how it ended, and "Mark done" for those who may. Written
    here rather than as an include per item: a person's list and their teams' are fifty."""
    user = context.get("user")
    token = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token")
    )
    return format_html_join(
        "\n", "{}", ((_action(a, user, token, show_owner, show_done),) for a in items)
    )


def _action(a, user, token, show_owner: bool, show_done: bool) -> SafeString:
    overdue = a.is_overdue
    about = format_html("{}", a.team)
    if show_owner:
        about += format_html(" · {}", a.owner)
    came_from = getattr(a, "came_from", None)
    if came_from:
        about += format_html(" · from {}", came_from.kind.lower())
    if a.status == "open":
        due = dateformat.format(a.due_on, "j M Y")
        state = (
            format_html('<span class="overdue-flag">Overdue: due {}</span>', due)
            if overdue
            else format_html('<span class="small">Due {}</span>', due)
        )
        if show_done and rules.has_perm("meetings.complete_action", user, a):
            state += format_html(
                '<form method="post" action="{}" class="d-inline ms-2">{}<button class="btn '
                'btn-sm btn-outline-primary" type="submit">Mark done<span '
                'class="visually-hidden">: {}</span></button></form>',
                reverse("meetings:action-done", args=[a.pk]),
                token,
                shortened(a.what, 60),
            )
    else:
        ended = f" {dateformat.format(a.done_on, 'j M Y')}" if a.done_on else ""
        state = format_html('<span class="small">{}{}</span>', a.get_status_display(), ended)
    return format_html(
        '<li class="action-item{}"><div class="d-flex flex-wrap justify-content-between gap-2">'
        '<div><a href="{}">{}</a><div class="small text-body-secondary">{}</div></div>'
        '<div class="text-end">{}</div></div></li>',
        " is-overdue" if overdue else "",
        reverse("meetings:action", args=[a.pk]),
        shortened(a.what, 140),
        about,
        state,
    )
