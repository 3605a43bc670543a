from django.urls import path

from .views import portal_settings as views

app_name = "settings"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("agency/", views.agency_edit, name="agency"),
    path("divisions/", views.divisions, name="divisions"),
    path("divisions/new/", views.division_edit, name="division-new"),
    path("divisions/<int:pk>/edit/", views.division_edit, name="division-edit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person-new"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/password/", views.person_password, name="person-password"),
    path("history/", views.history, name="history"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<int:pk>/release/", views.lockout_release, name="lockout-release"),
]
