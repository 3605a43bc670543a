from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from smt_portal.paging import paginate

from .. import selectors
from ..forms import PeopleFilterForm
from ..models import User


@login_required
def people(request: HttpRequest) -> HttpResponse:
    filters = PeopleFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    division = chosen.get("division")
    directory = selectors.people_directory(
        search=chosen.get("q", ""), division_id=division.pk if division else None
    )
    return render(
        request, "teams/people.html", {"filters": filters, "page": paginate(request, directory)}
    )


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    someone = get_object_or_404(User.objects.select_related("division"), pk=pk, is_active=True)
    return render(request, "teams/person.html", {"profile": selectors.person_profile(someone)})
