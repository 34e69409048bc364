from django.urls import path

from claims import views

urlpatterns = [
    path("claims/", views.claim_list_page, name="claim-list"),
    path("claims/<int:pk>/", views.claim_page, name="claim-detail"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim-edit"),
    path("claims/<int:pk>/delete/", views.claim_remove, name="claim-delete"),
    path("claims/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("claims/<int:pk>/evidence/search/", views.evidence_search, name="evidence-search"),
    path("claims/<int:pk>/evidence/<int:link_pk>/delete/", views.evidence_remove, name="evidence-remove"),
    path("claims/<int:pk>/suggestions/", views.suggestions_section, name="claim-suggestions"),
    path("claims/<int:pk>/suggestions/accept/", views.suggestion_accept_view, name="suggestion-accept"),
    path("claims/<int:pk>/suggestions/reject/", views.suggestion_reject_view, name="suggestion-reject"),
    # The reader's review decisions.
    path("sources/<int:source_pk>/proposals/<int:pk>/accept/", views.proposal_accept_view, name="proposal-accept"),
    path("sources/<int:source_pk>/proposals/<int:pk>/reject/", views.proposal_reject_view, name="proposal-reject"),
    path("sources/<int:source_pk>/proposals/<int:pk>/reopen/", views.proposal_reopen_view, name="proposal-reopen"),
    path("sources/<int:source_pk>/proposals/<int:pk>/split/", views.proposal_split_view, name="proposal-split"),
    path("sources/<int:source_pk>/proposals/<int:pk>/merge/", views.proposal_merge_view, name="proposal-merge"),
    path("sources/<int:source_pk>/accept-above/", views.accept_above_view, name="proposals-accept-above"),
    path("sources/<int:source_pk>/claims/", views.claim_from_selection_view, name="source-claim-create"),
    path(
        "sources/<int:source_pk>/claims/<int:pk>/delete/",
        views.claim_from_selection_undo,
        name="source-claim-delete",
    ),
]
