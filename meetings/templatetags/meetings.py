from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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
