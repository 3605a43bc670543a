"""Signing in and getting back in: Django's own views and tokens in the portal's look."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy

from ..forms import SignInForm
from ..models import Agency
from ..signin import tell_of_passwords_set_by_others


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if tell_of_passwords_set_by_others(self.request, form.get_user()):
            # Straight to choosing their own password: someone else knows this one.
            response["Location"] = reverse("password_change")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The answer is the same whether or not an account has that address."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        return {"agency": Agency.current()}

    def form_valid(self, form):
        self.use_https = settings.HTTPS or self.request.is_secure()
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proves they hold the mailbox is let back in at once, lockout or not.
        AccessAttempt.objects.filter(username__iexact=form.user.username).delete()
        return response
