from django.urls import path

from policy import editor_views, guidance_views, views

app_name = "policy"

urlpatterns = [
    path("", views.PolicyDocumentView.as_view(), name="contents"),
    path("clause/<str:number>/", views.ClauseView.as_view(), name="clause"),
    path("version/<int:version>/", views.PolicyVersionView.as_view(), name="version"),
    path(
        "version/<int:version>/clause/<str:number>/",
        views.VersionClauseView.as_view(),
        name="version_clause",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("acknowledgements/", views.AcknowledgementsView.as_view(), name="acknowledgements"),
    path(
        "acknowledgements/csv/",
        views.AcknowledgementsCsvView.as_view(),
        name="acknowledgements_csv",
    ),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("review/start/", views.ReviewStartView.as_view(), name="review_start"),
    path("review/publish/", views.ReviewPublishView.as_view(), name="review_publish"),
    path("review/discard/", views.ReviewDiscardView.as_view(), name="review_discard"),
    # The annual review in the portal
    path("review/edit/", editor_views.editor, name="review_edit"),
    path("review/changes/", editor_views.changes_so_far, name="review_changes"),
    path("review/summary/", editor_views.SummaryEditView.as_view(), name="review_summary"),
    path("review/send/", editor_views.send_for_sign_off, name="review_send"),
    path("review/sign-off/", editor_views.sign_off, name="review_sign_off"),
    path("review/reopen/", editor_views.reopen, name="review_reopen"),
    path("review/clause/<int:pk>/", editor_views.clause_editor, name="review_clause"),
    path("review/clause/<int:pk>/save/", editor_views.clause_save, name="review_clause_save"),
    path("review/clause/<int:pk>/diff/", editor_views.clause_live_diff, name="review_clause_diff"),
    path("review/clause/<int:pk>/move/", editor_views.clause_move, name="review_clause_move"),
    path("review/clause/<int:pk>/remove/", editor_views.clause_remove, name="review_clause_remove"),
    path(
        "review/clause/<int:pk>/renumber/",
        editor_views.ClauseRenumberView.as_view(),
        name="review_clause_renumber",
    ),
    path("review/clause/<int:pk>/add-item/", editor_views.item_add, name="review_item_add"),
    path(
        "review/section/<int:pk>/add-clause/",
        editor_views.ClauseAddView.as_view(),
        name="review_clause_add",
    ),
    path("review/item/<int:pk>/", editor_views.item_action, name="review_item"),
    path(
        "review/principle/<int:pk>/",
        editor_views.PrincipleEditView.as_view(),
        name="review_principle",
    ),
    path(
        "review/guideline/<int:pk>/",
        editor_views.GuidelineEditView.as_view(),
        name="review_guideline",
    ),
    path("search-words/", editor_views.SearchSynonymsView.as_view(), name="search_synonyms"),
    path(
        "search-words/<int:pk>/remove/",
        editor_views.search_synonym_remove,
        name="search_synonym_remove",
    ),
    path(
        "acknowledgements/remind/",
        views.AcknowledgementRemindView.as_view(),
        name="acknowledgements_remind",
    ),
    # Guidance before anyone breaks a rule
    path("pre-screen-lists/", guidance_views.ScreeningListsView.as_view(), name="screening_lists"),
    path("questions/", guidance_views.QuestionListView.as_view(), name="question_list"),
    path("questions/ask/", guidance_views.QuestionCreateView.as_view(), name="question_create"),
    path("questions/<int:pk>/", guidance_views.QuestionPageView.as_view(), name="question_detail"),
    path(
        "questions/<int:pk>/answer/",
        guidance_views.QuestionAnswerView.as_view(),
        name="question_answer",
    ),
    path(
        "questions/<int:pk>/publish/",
        guidance_views.QuestionPublishView.as_view(),
        name="question_publish",
    ),
    path("faq/", guidance_views.faq, name="faq"),
    path("personal-use/", guidance_views.personal_use, name="personal_use"),
]
