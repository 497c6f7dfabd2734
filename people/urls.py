"""Under /people/, beside the list and each person's page (redbridge_portal.urls)."""

from django.urls import path

from people import views

urlpatterns = [
    path("add/", views.PersonAddView.as_view(), name="person_add"),
    path("import/", views.StaffImportView.as_view(), name="people_import"),
    path("import/<int:pk>/", views.StaffImportPreviewView.as_view(), name="people_import_preview"),
    path("<int:pk>/roles/", views.PersonRolesView.as_view(), name="person_roles"),
    path("<int:pk>/reactivate/", views.PersonReactivateView.as_view(), name="person_reactivate"),
]
