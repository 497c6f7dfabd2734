from django.urls import path

from approvals import concern_views, views

app_name = "approvals"

urlpatterns = [
    path("", views.MyPostsView.as_view(), name="my_posts"),
    path("new/", views.PostCreateView.as_view(), name="post_create"),
    path("prescreen/", views.prescreen_draft, name="prescreen"),
    path("<int:pk>/", views.post_detail, name="post_detail"),
    path("<int:pk>/edit/", views.PostEditView.as_view(), name="post_edit"),
    path("<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("<int:pk>/withdraw/", views.post_withdraw, name="post_withdraw"),
    path("<int:pk>/decide/", views.post_decide, name="post_decide"),
    path("<int:pk>/comment/", views.post_comment, name="post_comment"),
    path("<int:pk>/published/", views.PostMarkPublishedView.as_view(), name="post_mark_published"),
    path(
        "<int:pk>/published/correct/",
        views.PostCorrectPublicationView.as_view(),
        name="post_correct_publication",
    ),
    path("<int:pk>/new-draft/", views.post_new_draft_from, name="post_new_draft_from"),
    path("queue/", views.QueueView.as_view(), name="queue"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/decide/", views.campaign_decide, name="campaign_decide"),
    path("published/", views.PublishedLogView.as_view(), name="published_log"),
    path("published/export.csv", views.published_log_csv, name="published_log_csv"),
    path("media/<int:pk>/", views.media, name="media"),
    path("media/new/<int:pk>/", views.pending_image, name="pending_image"),
    # Issue 9: concerns ("An official response may be needed")
    path("concerns/", concern_views.concern_list, name="concern_list"),
    path("concerns/new/", concern_views.concern_create, name="concern_create"),
    path("concerns/<int:pk>/", concern_views.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/take/", concern_views.concern_take, name="concern_take"),
    path("concerns/<int:pk>/action/", concern_views.concern_action, name="concern_action"),
    path("concerns/<int:pk>/resolve/", concern_views.concern_resolve, name="concern_resolve"),
    path(
        "concerns/<int:pk>/screenshot/",
        concern_views.concern_screenshot,
        name="concern_screenshot",
    ),
]
