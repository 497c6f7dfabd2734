"""
WSGI config for redbridge_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbridge_portal.settings")

application = get_wsgi_application()

from redbridge_portal.checks import require_secret_key  # noqa: E402  (needs the apps loaded)

require_secret_key()
