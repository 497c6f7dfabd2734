from django.core.management.base import BaseCommand

from redbridge_portal.management.commands.load_demo_data import Command as DemoCommand


class Command(BaseCommand):
    help = "Print the demo accounts' logins (for `make run`)."

    def handle(self, *args, **options):
        self.stdout.write(DemoCommand.logins_text())
