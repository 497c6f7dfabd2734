from django.urls import path

from approvals import account_views, views

app_name = "approvals"

urlpatterns = [
    path("", views.MyPostsView.as_view(), name="my_posts"),
    path("new/", views.PostCreateView.as_view(), name="post_create"),
    path("prescreen/", views.prescreen_draft, name="prescreen"),
    path("<int:pk>/", views.PostPageView.as_view(), name="post_detail"),
    path("<int:pk>/edit/", views.PostEditView.as_view(), name="post_edit"),
    path("<int:pk>/submit/", views.PostSubmitView.as_view(), name="post_submit"),
    path("<int:pk>/withdraw/", views.PostWithdrawView.as_view(), name="post_withdraw"),
    path("<int:pk>/decide/", views.PostDecideView.as_view(), name="post_decide"),
    path("<int:pk>/comment/", views.PostCommentView.as_view(), name="post_comment"),
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
    path("campaigns/<int:pk>/", views.CampaignPageView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/decide/", views.CampaignDecideView.as_view(), name="campaign_decide"),
    path("published/", views.PublishedLogView.as_view(), name="published_log"),
    path("published/export.csv", views.published_log_csv, name="published_log_csv"),
    path("media/<int:pk>/", views.media, name="media"),
    path("media/new/<int:pk>/", views.pending_image, name="pending_image"),
    # The school's social media accounts, managed by policy admins
    path("accounts/", account_views.SocialAccountListView.as_view(), name="account_list"),
    path("accounts/new/", account_views.SocialAccountAddView.as_view(), name="account_add"),
    path(
        "accounts/<int:pk>/edit/",
        account_views.SocialAccountEditView.as_view(),
        name="account_edit",
    ),
    path(
        "accounts/<int:pk>/retire/",
        account_views.SocialAccountInUseView.as_view(in_use=False),
        name="account_retire",
    ),
    path(
        "accounts/<int:pk>/reinstate/",
        account_views.SocialAccountInUseView.as_view(in_use=True),
        name="account_reinstate",
    ),
]
