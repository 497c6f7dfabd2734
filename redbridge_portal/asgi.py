"""
ASGI config for redbridge_portal project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbridge_portal.settings")

application = get_asgi_application()

from redbridge_portal.checks import require_secret_key  # noqa: E402  (needs the apps loaded)

require_secret_key()
