from django.urls import path

from .views import calendar, pages, problems, records

app_name = "meetings"

urlpatterns = [
    path("", pages.index, name="index"),
    path("team/<int:pk>/", pages.team, name="team"),
    path("team/<int:pk>/series/", records.series_edit, name="series"),
    path("team/<int:pk>/schedule/", records.schedule, name="schedule"),
    path("<int:pk>/", pages.meeting, name="meeting"),
    path("<int:pk>/edit/", records.meeting_edit, name="meeting-edit"),
    path("<int:pk>/meeting.ics", calendar.meeting_ics, name="meeting-ics"),
    path("<int:pk>/agenda/add/", records.agenda_add, name="agenda-add"),
    path("<int:pk>/agenda/offer/", records.agenda_offer, name="agenda-offer"),
    path("<int:pk>/agenda/carry/", records.agenda_carry, name="agenda-carry"),
    path("<int:pk>/agenda/<int:item>/edit/", records.agenda_edit, name="agenda-edit"),
    path("<int:pk>/agenda/<int:item>/minutes/", records.minutes_edit, name="minutes"),
    path("<int:pk>/agenda/<int:item>/move/", records.agenda_move, name="agenda-move"),
    path("<int:pk>/agenda/<int:item>/remove/", records.agenda_remove, name="agenda-remove"),
    path("<int:pk>/attendance/", records.attendance, name="attendance"),
    path("<int:pk>/decisions/add/", records.decision_add, name="decision-add"),
    path("<int:pk>/actions/add/", records.action_add, name="action-add"),
    path("<int:pk>/problems/add/", problems.problem_add, name="problem-add"),
    path("<int:pk>/solutions/add/", problems.solution_add, name="solution-add"),
    path("<int:pk>/solutions/<int:solution>/fidelity/", problems.fidelity, name="fidelity"),
    path(
        "<int:pk>/problems/<int:problem>/effectiveness/",
        problems.effectiveness,
        name="effectiveness",
    ),
    path("<int:pk>/self-check/", problems.self_check, name="self-check"),
    path("problems/<int:pk>/", problems.problem, name="problem"),
    path("decisions/", pages.decisions, name="decisions"),
    path("decisions/<int:pk>/", pages.decision, name="decision"),
    path("decisions/<int:pk>/review/", records.decision_review, name="decision-review"),
    path("actions/", pages.actions, name="actions"),
    path("actions/<int:pk>/", pages.action, name="action"),
    path("actions/<int:pk>/done/", records.action_done, name="action-done"),
    path("actions/<int:pk>/drop/", records.action_drop, name="action-drop"),
    path("calendar/", calendar.feed_settings, name="feed-settings"),
    path("calendar/reset/", calendar.feed_reset, name="feed-reset"),
    path("calendar/revoke/", calendar.feed_revoke, name="feed-revoke"),
    path("calendar/<str:token>.ics", calendar.feed, name="feed"),
]
