from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .selectors import development_by_level


@login_required
@require_safe
def development(request: HttpRequest) -> HttpResponse:
    """How far the cascade's teams have developed, level by level, in and out of the Zone."""
    return render(request, "datasystem/development.html", {"rows": development_by_level()})
