from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from teams.views import signin
from teams.views.home import home

from . import views

accounts = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", signin.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        signin.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include(accounts)),
    path("", include("teams.urls")),
    path("meetings/", include("meetings.urls")),
    path("barriers/", include("meetings.barrier_urls")),
    path("initiatives/", include("initiatives.urls")),
    path("data/", include("datasystem.urls")),
    path("settings/", include("teams.settings_urls")),
    # The notification centre (/notifications/), the digest (/digests/) and the reminders'
    # settings (/settings/notifications/).
    path("", include("digests.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "smt_portal.views.bad_request"
handler403 = "smt_portal.views.permission_denied"
handler404 = "smt_portal.views.page_not_found"
handler500 = "smt_portal.views.server_error"
