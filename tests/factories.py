import factory
from django.contrib.auth.models import Group
from django.urls import reverse

from redbridge_portal import roles
from redbridge_portal.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


def change_password(client, new_password: str, *, old_password: str = TEST_PASSWORD):
    """Send the change-password form as the signed-in person would."""
    return client.post(
        reverse("password_change"),
        {
            "old_password": old_password,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )


def with_roles(*default_roles):
    """A post-generation hook: `Factory(roles=[...])`, else the given roles."""

    def add_roles(user, create, extracted, **kwargs):
        if create:
            wanted = extracted if extracted is not None else default_roles
            user.groups.add(*Group.objects.filter(name__in=wanted))

    return factory.PostGeneration(add_roles)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@redbridge.example")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)
    roles = with_roles(roles.STAFF)


class StaffFactory(UserFactory):
    pass


class SeniorTeamFactory(UserFactory):
    roles = with_roles(roles.STAFF, roles.SENIOR_TEAM)


class PolicyAdminFactory(UserFactory):
    roles = with_roles(roles.STAFF, roles.POLICY_ADMIN)
