"""Single sign-on is configured from the environment only (people.sso_config), so allauth's
own admin pages for provider apps, tokens and email addresses are taken out: a provider app
added there would be a second, conflicting configuration. The links between portal accounts
and school accounts stay visible (allauth's SocialAccount admin)."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin

for _model in (SocialApp, SocialToken, EmailAddress):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
