from django.urls import path

from policy import guidance_views, views

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
    # Guidance before anyone breaks a rule
    path(
        "pre-screen-lists/",
        guidance_views.ScreeningListsView.as_view(),
        name="screening_lists",
    ),
    path("questions/", guidance_views.question_list, name="question_list"),
    path("questions/ask/", guidance_views.question_create, name="question_create"),
    path("questions/<int:pk>/", guidance_views.question_detail, name="question_detail"),
    path("questions/<int:pk>/answer/", guidance_views.question_answer, name="question_answer"),
    path("questions/<int:pk>/publish/", guidance_views.question_publish, name="question_publish"),
    path("faq/", guidance_views.faq, name="faq"),
    path("personal-use/", guidance_views.personal_use, name="personal_use"),
]
