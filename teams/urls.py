from django.urls import path

from .views import cascade, people, sponsors, updates

app_name = "teams"

urlpatterns = [
    path("teams/", cascade.cascade, name="cascade"),
    path("teams/new/", cascade.team_create, name="team-create"),
    path("teams/<int:pk>/", cascade.team_detail, name="team"),
    path("teams/<int:pk>/below/", cascade.team_below, name="team-below"),
    path("teams/<int:pk>/edit/", cascade.team_edit, name="team-edit"),
    path("teams/<int:pk>/members/new/", cascade.member_add, name="member-add"),
    path("teams/memberships/<int:pk>/end/", cascade.member_end, name="member-end"),
    path("teams/<int:pk>/development/new/", cascade.development_record, name="development-new"),
    path("teams/<int:pk>/updates/new/", updates.update_log, name="team-update-new"),
    path("teams/updates/", updates.update_list, name="updates"),
    path("teams/updates/new/", updates.update_log, name="update-new"),
    path("teams/updates/<int:pk>/", updates.update_detail, name="update"),
    path("teams/updates/<int:pk>/edit/", updates.update_edit, name="update-edit"),
    path("people/", people.people, name="people"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/roles/new/", people.role_add, name="role-add"),
    path("people/<int:pk>/leave/", people.person_leave, name="person-leave"),
    path("people/roles/<int:pk>/correct/", people.role_correct, name="role-correct"),
    path("people/roles/<int:pk>/end/", people.role_end, name="role-end"),
    path("sponsors/", sponsors.sponsors, name="sponsors"),
    path("sponsors/appoint/", sponsors.sponsor_appoint, name="sponsor-appoint"),
    path("sponsors/<int:pk>/end/", sponsors.sponsor_end, name="sponsor-end"),
    path("sponsors/pairings/new/", sponsors.pairing_create, name="pairing-new"),
    path("sponsors/pairings/<int:pk>/end/", sponsors.pairing_end, name="pairing-end"),
]
