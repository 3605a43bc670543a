"""/barriers/: the practice-policy communication cycle, linking protocols and sponsor
support (the meetings app's second set of pages, under the route DOMAIN.md names)."""

from django.urls import path

from .views import barriers, protocols, support

app_name = "barriers"

urlpatterns = [
    path("", barriers.index, name="index"),
    path("new/", barriers.raise_barrier, name="raise"),
    path("<int:pk>/", barriers.barrier, name="barrier"),
    path("<int:pk>/escalate/", barriers.escalate, name="escalate"),
    path("<int:pk>/answer/", barriers.answer, name="answer"),
    path("<int:pk>/pass-down/", barriers.pass_down, name="pass-down"),
    path("<int:pk>/confirm/", barriers.confirm, name="confirm"),
    path("<int:pk>/merge/", barriers.merge, name="merge"),
    path("<int:pk>/agenda/", barriers.place_on_agenda, name="agenda"),
    path("smt/", barriers.smt_queue, name="smt-queue"),
    path("follow-through/", barriers.follow_through, name="follow-through"),
    path("changes/", barriers.changes, name="changes"),
    path("changes/new/", barriers.change_new, name="change-new"),
    path("changes/<int:pk>/", barriers.change, name="change"),
    path("protocols/team/<int:pk>/", protocols.team_protocols, name="team-protocols"),
    path("protocols/team/<int:pk>/new/", protocols.protocol_new, name="protocol-new"),
    path("protocols/chain/<int:pk>/", protocols.chain, name="chain"),
    path("protocols/<int:pk>/", protocols.protocol, name="protocol"),
    path("protocols/<int:pk>/edit/", protocols.protocol_edit, name="protocol-edit"),
    path("protocols/<int:pk>/review/", protocols.protocol_review, name="protocol-review"),
    path("support/", support.support, name="support"),
    path("support/new/", support.support_new, name="support-new"),
    path("support/<int:pk>/", support.support_detail, name="support-request"),
    path("support/<int:pk>/close/", support.support_close, name="support-close"),
    path("support/holidays/", support.holidays, name="holidays"),
    path("support/holidays/<int:pk>/delete/", support.holiday_delete, name="holiday-delete"),
    path("share/", support.share, name="share"),
    path("share/<int:pk>/", support.shared, name="shared"),
]
