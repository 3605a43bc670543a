from django.urls import path

from .views import assessments, dashboards, implementation, instruments, live, outcomes

app_name = "datasystem"

urlpatterns = [
    path("", dashboards.index, name="index"),
    path("detail/", dashboards.detail, name="detail"),
    path("charts/<slug:key>.csv", dashboards.chart_csv, name="chart-csv"),
    path("teams/<int:pk>/", assessments.team_data, name="team"),
    path("teams/<int:pk>/dashboard/", dashboards.team_dashboard, name="team-dashboard"),
    path("teams/<int:pk>/dashboard/detail/", dashboards.team_detail, name="team-detail"),
    path("teams/<int:pk>/charts/<slug:key>.csv", dashboards.team_chart_csv, name="team-chart-csv"),
    path("outcomes/", outcomes.measures, name="measures"),
    path("outcomes/new/", outcomes.measure_edit, name="measure-new"),
    path("outcomes/<int:pk>/edit/", outcomes.measure_edit, name="measure-edit"),
    path("outcomes/periods/", outcomes.periods, name="periods"),
    path("outcomes/import/", outcomes.outcome_import, name="outcome-import"),
    path("outcomes/imports/<int:pk>/", outcomes.import_job, name="import-job"),
    path("outcomes/imports/<int:pk>/progress/", outcomes.import_progress, name="import-progress"),
    path(
        "outcomes/imports/<int:pk>/rejected.csv", outcomes.import_rejected, name="import-rejected"
    ),
    path("teams/<int:pk>/assessments/new/", assessments.administration_start, name="start"),
    path("assessments/<int:pk>/", assessments.administration, name="administration"),
    path("assessments/<int:pk>/scores/", assessments.score_sheet, name="scores"),
    path("assessments/<int:pk>/complete/", assessments.administration_complete, name="complete"),
    path(
        "assessments/<int:pk>/items/<int:item_pk>/correct/",
        assessments.score_correct,
        name="correct",
    ),
    path(
        "assessments/<int:pk>/items/<int:item_pk>/action/",
        assessments.item_action,
        name="item-action",
    ),
    path("assessments/<int:pk>/live/", live.live, name="live"),
    path("assessments/<int:pk>/live/state/", live.live_state, name="live-state"),
    path("assessments/<int:pk>/live/open/<int:item_pk>/", live.live_open, name="live-open"),
    path("assessments/<int:pk>/live/vote/", live.live_vote, name="live-vote"),
    path("assessments/<int:pk>/live/reveal/", live.live_reveal, name="live-reveal"),
    path("assessments/<int:pk>/live/record/", live.live_record, name="live-record"),
    path("instruments/", instruments.instruments, name="instruments"),
    path("instruments/import/", instruments.instrument_import, name="instrument-import"),
    path("instruments/<int:pk>/", instruments.instrument, name="instrument"),
    path("instruments/<int:pk>/items/<int:item_pk>/edit/", instruments.item_edit, name="item-edit"),
    path("implementation/", implementation.implementation, name="implementation"),
    path("training/", implementation.training_list, name="training"),
    path("training/import/", implementation.training_import, name="training-import"),
    path("coaching/", implementation.coaching_list, name="coaching"),
    path("coaching/import/", implementation.coaching_import, name="coaching-import"),
    path(
        "teams/<int:pk>/implementation/",
        implementation.team_implementation,
        name="team-implementation",
    ),
    path("teams/<int:pk>/training/new/", implementation.training_new, name="training-new"),
    path("teams/<int:pk>/coaching/new/", implementation.coaching_new, name="coaching-new"),
]
