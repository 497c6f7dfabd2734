from django.urls import include, path

from policy import editor_views, guidance_views, views

app_name = "policy"

# The annual review: policy admins prepare the next version, the senior team signs it off.
review_patterns = [
    path("", views.ReviewView.as_view(), name="review"),
    path("start/", views.ReviewStartView.as_view(), name="review_start"),
    path("publish/", views.ReviewPublishView.as_view(), name="review_publish"),
    path("discard/", views.ReviewDiscardView.as_view(), name="review_discard"),
    path("edit/", editor_views.editor, name="review_edit"),
    path("changes/", editor_views.changes_so_far, name="review_changes"),
    path("summary/", editor_views.SummaryEditView.as_view(), name="review_summary"),
    path("send/", editor_views.send_for_sign_off, name="review_send"),
    path("sign-off/", editor_views.sign_off, name="review_sign_off"),
    path("reopen/", editor_views.reopen, name="review_reopen"),
    path("clause/<int:pk>/", editor_views.clause_editor, name="review_clause"),
    path("clause/<int:pk>/save/", editor_views.clause_save, name="review_clause_save"),
    path("clause/<int:pk>/diff/", editor_views.clause_live_diff, name="review_clause_diff"),
    path("clause/<int:pk>/move/", editor_views.clause_move, name="review_clause_move"),
    path("clause/<int:pk>/remove/", editor_views.clause_remove, name="review_clause_remove"),
    path(
        "clause/<int:pk>/renumber/",
        editor_views.ClauseRenumberView.as_view(),
        name="review_clause_renumber",
    ),
    path("clause/<int:pk>/add-item/", editor_views.item_add, name="review_item_add"),
    path(
        "section/<int:pk>/add-clause/",
        editor_views.ClauseAddView.as_view(),
        name="review_clause_add",
    ),
    path("item/<int:pk>/", editor_views.item_action, name="review_item"),
    path("principle/<int:pk>/", editor_views.PrincipleEditView.as_view(), name="review_principle"),
    path("guideline/<int:pk>/", editor_views.GuidelineEditView.as_view(), name="review_guideline"),
]

# Questions to the senior team, and the answers published for everyone.
question_patterns = [
    path("", guidance_views.QuestionListView.as_view(), name="question_list"),
    path("ask/", guidance_views.QuestionCreateView.as_view(), name="question_create"),
    path("<int:pk>/", guidance_views.QuestionPageView.as_view(), name="question_detail"),
    path("<int:pk>/answer/", guidance_views.QuestionAnswerView.as_view(), name="question_answer"),
    path(
        "<int:pk>/publish/", guidance_views.QuestionPublishView.as_view(), name="question_publish"
    ),
]

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
    path(
        "acknowledgements/remind/",
        views.AcknowledgementRemindView.as_view(),
        name="acknowledgements_remind",
    ),
    path("review/", include(review_patterns)),
    path("search-words/", editor_views.SearchSynonymsView.as_view(), name="search_synonyms"),
    path(
        "search-words/<int:pk>/remove/",
        editor_views.search_synonym_remove,
        name="search_synonym_remove",
    ),
    # Guidance before anyone breaks a rule
    path("pre-screen-lists/", guidance_views.ScreeningListsView.as_view(), name="screening_lists"),
    path("questions/", include(question_patterns)),
    path("faq/", guidance_views.faq, name="faq"),
    path("personal-use/", guidance_views.personal_use, name="personal_use"),
]
