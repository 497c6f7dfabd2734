"""The web server's entry point: gunicorn serves `application` (Procfile.production). The
secret-key check runs once the apps are loaded, so a server without one stops at start-up."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbridge_portal.settings")

application = get_wsgi_application()

from redbridge_portal.checks import require_secret_key  # noqa: E402  (needs the apps loaded)

require_secret_key()
