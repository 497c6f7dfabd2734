"""Under /people/: the list of people, each person's page and what policy admins do there."""

from django.urls import path

from people import views

urlpatterns = [
    path("", views.PeopleView.as_view(), name="people"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/export/", views.PersonExportView.as_view(), name="person_export"),
    path("<int:pk>/anonymise/", views.PersonAnonymiseView.as_view(), name="person_anonymise"),
    path("<int:pk>/deactivate/", views.PersonDeactivateView.as_view(), name="person_deactivate"),
    path(
        "<int:pk>/two-factor/reset/",
        views.PersonTwoFactorResetView.as_view(),
        name="person_two_factor_reset",
    ),
    path("add/", views.PersonAddView.as_view(), name="person_add"),
    path("import/", views.StaffImportView.as_view(), name="people_import"),
    path("import/<int:pk>/", views.StaffImportPreviewView.as_view(), name="people_import_preview"),
    path("<int:pk>/roles/", views.PersonRolesView.as_view(), name="person_roles"),
    path("<int:pk>/reactivate/", views.PersonReactivateView.as_view(), name="person_reactivate"),
]
