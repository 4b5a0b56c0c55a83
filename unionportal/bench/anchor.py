"""The load driver's anchor: bare Django views over the same querysets as the portal's pages
(a ListView with the portal's page size, a DetailView, a view running the dashboard's
snapshot query, a bare ModelForm post), behind the same middleware and login.

Served by gunicorn with `anchor_settings` (the bench's settings with this module as
ROOT_URLCONF); never part of the portal's own URLs.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.generic import CreateView, DetailView, ListView, View

from members.models import Member, Organisation
from unionportal.reporting.dashboard import children_snapshots, recent_snapshots

PAGE = engines["django"].from_string(
    "<!doctype html><title>anchor</title><table>{% for m in object_list %}<tr><td>{{ m.name }}"
    "</td><td>{{ m.organisation.name }}</td><td>{{ m.joined_on }}</td><td>{{ m.status }}</td>"
    "</tr>{% endfor %}</table>{{ page_obj.number }} / {{ paginator.num_pages }}"
)
ONE = engines["django"].from_string(
    "<!doctype html><title>anchor</title><h1>{{ object.name }}</h1>"
    "<p>{{ object.organisation.name }} {{ object.joined_on }} {{ object.status }}</p>"
)
SNAPSHOTS = engines["django"].from_string(
    "<!doctype html><title>anchor</title>{% for s in recent %}<p>{{ s.month }}</p>{% endfor %}"
    "{% for s in children %}<p>{{ s.organisation_id }} {{ s.month }}</p>{% endfor %}"
)
FORM = engines["django"].from_string("<!doctype html><title>anchor</title>{{ form }}")


class _Inline:
    template = None

    def render_to_response(self, context, **kwargs):
        return HttpResponse(self.template.render(context, self.request))


class Members(LoginRequiredMixin, _Inline, ListView):
    template = PAGE
    paginate_by = 50

    def get_queryset(self):
        union = Organisation.objects.get(pk=self.request.GET["union"])
        return (
            Member.objects.filter(organisation__path__startswith=union.path)
            .select_related("organisation")
            .order_by("name", "id")
        )


class OneMember(LoginRequiredMixin, _Inline, DetailView):
    template = ONE
    queryset = Member.objects.select_related("organisation")


class Dashboard(LoginRequiredMixin, View):
    def get(self, request):
        city = Organisation.get_root_nodes().get()
        recent = recent_snapshots(city)
        children = children_snapshots(city, recent[0].month) if recent else []
        return HttpResponse(SNAPSHOTS.render({"recent": recent, "children": children}, request))


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["organisation", "name", "gender", "birth_date", "phone", "joined_on", "status"]


class NewMember(LoginRequiredMixin, _Inline, CreateView):
    template = FORM
    form_class = MemberForm
    success_url = "/members/"

    def form_valid(self, form):
        # The model's own encryption and blind index, as any save of a member needs.
        form.instance.set_resident_id(self.request.POST["resident_id"])
        return super().form_valid(form)


urlpatterns = [
    path("members/", Members.as_view()),
    path("members/<int:pk>/", OneMember.as_view()),
    path("", Dashboard.as_view()),
    path("members/new/", NewMember.as_view()),
]
