from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from teams.freshness import remembered

from .selectors import development_by_level


@login_required
@require_safe
def development(request: HttpRequest) -> HttpResponse:
    """How far the cascade's teams have developed, level by level, in and out of the Zone."""
    # The same for everyone: kept until a review is recorded or the cascade changes.
    rows = remembered("development-by-level", ("development", "cascade"), development_by_level)
    return render(request, "datasystem/development.html", {"rows": rows})
