"""The entry point for an ASGI server, should the school host the portal on one; it is deployed
with gunicorn through wsgi.py. The same start-up check refuses to run without a secret key."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbridge_portal.settings")

application = get_asgi_application()

from redbridge_portal.checks import require_secret_key  # noqa: E402  (needs the apps loaded)

require_secret_key()
