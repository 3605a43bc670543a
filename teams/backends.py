"""How the signed-in person is loaded for each request.

Django's ModelBackend, except that the query loading the person also carries the figures
higher apps register as `PersonFigure`s (an unread count shown in the navigation on every
page): a figure every page shows would otherwise cost every page a query of its own.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User
from .registry import portal


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        figures = {figure.key: figure.expression() for figure in portal.person_figures}
        try:
            user = User._default_manager.annotate(**figures).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
