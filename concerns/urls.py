from django.urls import path

from concerns import views

app_name = "concerns"

urlpatterns = [
    path("", views.concern_list, name="list"),
    path("new/", views.concern_create, name="create"),
    path("<int:pk>/", views.concern_detail, name="detail"),
    path("<int:pk>/take/", views.concern_take, name="take"),
    path("<int:pk>/action/", views.concern_action, name="action"),
    path("<int:pk>/resolve/", views.concern_resolve, name="resolve"),
    path("<int:pk>/screenshot/", views.concern_screenshot, name="screenshot"),
]
