from django.urls import path

from .views import analysis, inventory, reviews, selection, stages, vision

app_name = "initiatives"

urlpatterns = [
    # The inventory.
    path("", inventory.inventory, name="index"),
    path("new/", inventory.initiative_new, name="initiative-new"),
    path("<int:pk>/", inventory.initiative_detail, name="initiative"),
    path("<int:pk>/summary/", inventory.initiative_summary, name="initiative-summary"),
    path("<int:pk>/edit/", inventory.initiative_edit, name="initiative-edit"),
    path("<int:pk>/funding/new/", inventory.funding_new, name="funding-new"),
    path("funding/<int:pk>/remove/", inventory.funding_remove, name="funding-remove"),
    path("<int:pk>/goals/new/", inventory.alignment_new, name="alignment-new"),
    path("alignments/<int:pk>/remove/", inventory.alignment_remove, name="alignment-remove"),
    path("<int:pk>/overlaps/new/", inventory.overlap_new, name="overlap-new"),
    path("overlaps/<int:pk>/remove/", inventory.overlap_remove, name="overlap-remove"),
    path("zone/", inventory.transformation_zone, name="zone"),
    # Alignment and resources.
    path("alignment/", analysis.alignment_matrix, name="matrix"),
    path("resources/", analysis.resources, name="resources"),
    path("resources.csv", analysis.resources_csv, name="resources-csv"),
    # Reviews.
    path("reviews/", reviews.reviews_due, name="reviews"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("reviews/<int:pk>/actions/new/", reviews.review_action, name="review-action"),
    path("<int:pk>/review/", reviews.review_new, name="review-new"),
    # The vision.
    path("vision/", vision.vision, name="vision"),
    path("vision/new/", vision.vision_new, name="vision-new"),
    path("vision/<int:pk>/", vision.vision_version, name="vision-version"),
    path("goals/new/", vision.goal_new, name="goal-new"),
    path("goals/<int:pk>/edit/", vision.goal_edit, name="goal-edit"),
    path("affirmations/new/", vision.affirmation_new, name="affirmation-new"),
    path("settings/", vision.inventory_settings, name="settings"),
    # Stages of implementation.
    path("stages/", stages.heatmap, name="stages"),
    path("stages/new/", stages.stage_new, name="stage-new"),
    path("stages/teams/<int:pk>/", stages.team_stages, name="team-stages"),
    # Innovation selection.
    path("selection/", selection.candidates, name="candidates"),
    path("selection/new/", selection.candidate_new, name="candidate-new"),
    path("selection/compare/", selection.compare, name="compare"),
    path("selection/<int:pk>/", selection.candidate_detail, name="candidate"),
    path("selection/<int:pk>/edit/", selection.candidate_edit, name="candidate-edit"),
    path("selection/<int:pk>/rate/", selection.candidate_rate, name="candidate-rate"),
    path("selection/<int:pk>/decide/", selection.candidate_decide, name="candidate-decide"),
    path("protocols/", selection.protocols, name="protocols"),
    path("protocols/load/", selection.protocol_import, name="protocol-import"),
    path("protocols/<int:pk>/", selection.protocol_detail, name="protocol"),
    path("indicators/<int:pk>/edit/", selection.indicator_edit, name="indicator-edit"),
]
