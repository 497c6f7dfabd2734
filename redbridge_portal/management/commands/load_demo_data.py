from django.core.management.base import BaseCommand
from django.db import transaction

from redbridge_portal import roles
from redbridge_portal.models import User

DEMO_PASSWORD = "redbridge-demo"  # noqa: S105 (the demo accounts' published password)

# (email, first name, last name, roles, may open the admin site)
DEMO_USERS = [
    ("staff@redbridge.example", "Sam", "Patel", [roles.STAFF], False),
    ("staff2@redbridge.example", "Jo", "Okafor", [roles.STAFF], False),
    ("senior@redbridge.example", "Priya", "Shah", [roles.STAFF, roles.SENIOR_TEAM], False),
    ("senior2@redbridge.example", "Tom", "Bennett", [roles.STAFF, roles.SENIOR_TEAM], False),
    ("policy@redbridge.example", "Alex", "Hoyle", [roles.STAFF, roles.POLICY_ADMIN], True),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts and the demo content (the school's policy, accounts, a few "
        "posts). Safe to run again: it changes nothing the second time. For development only."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        for email, first_name, last_name, user_roles, admin_site in DEMO_USERS:
            user, was_created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first_name, "last_name": last_name, "is_staff": admin_site},
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
            for role in user_roles:
                roles.assign_role(user, role)
        self.stdout.write(f"Demo accounts: {created} created, {len(DEMO_USERS) - created} kept.")
        for loader in self.content_loaders():
            loader(stdout=self.stdout)

    def content_loaders(self):
        """Each app's own demo content, loaded after the accounts it refers to: the policy
        first, since decisions on posts record the policy version in force."""
        from approvals.demo import load_demo as load_approvals_demo
        from policy.demo import load_demo as load_policy_demo

        return [load_policy_demo, load_approvals_demo]

    @classmethod
    def logins_text(cls) -> str:
        lines = [f"  {email:<28} ({', '.join(r)})" for email, _f, _l, r, _a in DEMO_USERS]
        listing = "\n".join(lines)
        return f"Demo logins (password: {DEMO_PASSWORD}):\n{listing}"
