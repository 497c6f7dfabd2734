from django.urls import path

from concerns import views

app_name = "concerns"

urlpatterns = [
    path("", views.ConcernListView.as_view(), name="list"),
    path("new/", views.ConcernCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ConcernPageView.as_view(), name="detail"),
    path("<int:pk>/take/", views.ConcernTakeView.as_view(), name="take"),
    path("<int:pk>/action/", views.ConcernActionView.as_view(), name="action"),
    path("<int:pk>/resolve/", views.ConcernResolveView.as_view(), name="resolve"),
    path("<int:pk>/screenshot/", views.ConcernScreenshotView.as_view(), name="screenshot"),
]
