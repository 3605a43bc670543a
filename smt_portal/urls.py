from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from teams.forms import SignInForm
from teams.views.home import home

from . import views

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("teams.urls")),
    path("meetings/", include("meetings.urls")),
    path("initiatives/", include("initiatives.urls")),
    path("data/", include("datasystem.urls")),
    path("settings/", include("teams.settings_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "smt_portal.views.bad_request"
handler403 = "smt_portal.views.permission_denied"
handler404 = "smt_portal.views.page_not_found"
handler500 = "smt_portal.views.server_error"
