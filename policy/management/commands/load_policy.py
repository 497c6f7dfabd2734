from django.core.management.base import BaseCommand

from policy.services import POLICY_FILE, policy_load_from_file


class Command(BaseCommand):
    help = (
        "Import the school's Social Media Policy (policy/content/social-media-policy.toml) as "
        "the first published version. Does nothing if the policy is already in the portal."
    )

    def handle(self, *args, **options):
        version, created = policy_load_from_file(path=POLICY_FILE)
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the Social Media Policy as version {version.number} "
                    f"({version.sections.count()} sections)."
                )
            )
        else:
            self.stdout.write("The Social Media Policy is already loaded; nothing changed.")
