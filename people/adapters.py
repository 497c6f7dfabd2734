"""django-allauth's hooks: allauth runs the provider's handshake; the school's rules decide
who comes in (people.sso) and which account they get (people.services).

Signing in with the school account never goes through allauth's sign-up form: a refused person
gets the portal's own page (and an audit entry), an allowed one is linked to their account, or
given a new Staff account, before allauth signs them in.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from people import services, sso
from redbridge_portal.models import User

# Whichever backend loads the signed-in user on each request (the last one: axes's comes first
# and only counts failed passwords).
MODEL_BACKEND = settings.AUTHENTICATION_BACKENDS[-1]


def refused_page(request, message, *, status=403):
    return render(
        request,
        "people/sso_refused.html",
        {"message": message, "support_contact": settings.SUPPORT_CONTACT},
        status=status,
    )


class PortalAccountAdapter(DefaultAccountAdapter):
    """allauth's account side: no sign-up of its own, and the portal's messages and pages."""

    def is_open_for_signup(self, request):
        return False

    def add_message(self, *args, **kwargs):
        # allauth's "Successfully signed in as ..." adds nothing to landing on the home page.
        return None

    def login(self, request, user):
        user.backend = MODEL_BACKEND
        super().login(request, user)

    def respond_user_inactive(self, request, user):
        # Normally refused earlier (SchoolSocialAccountAdapter); this is the last guard.
        services.sso_sign_in_refused(
            email=user.email,
            reason="deactivated",
            detail=_("A closed account tried to sign in with its school account."),
            provider=settings.SSO_PROVIDER,
        )
        raise ImmediateHttpResponse(
            refused_page(request, _("Your account on the staff portal has been closed."))
        )

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            identity = sso.identity_from(sociallogin)
            second_factor = sso.used_second_factor(identity)
            if second_factor:
                request.session[sso.PROVIDER_MFA_SESSION_KEY] = str(user.pk)
            services.sso_signed_in(
                person=user, provider=identity.provider, second_factor=second_factor
            )
        return response

    def get_login_redirect_url(self, request):
        return reverse(settings.LOGIN_REDIRECT_URL)


class SchoolSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Decides, before allauth signs anyone in, whether the school account may come in and
    which portal account it is."""

    def is_open_for_signup(self, request, sociallogin):
        # Accounts are made in pre_social_login, never through allauth's sign-up.
        return True

    def pre_social_login(self, request, sociallogin):
        identity = sso.identity_from(sociallogin)
        if sociallogin.is_existing:
            person = sociallogin.user
        elif identity.email:
            person = User.objects.filter(
                email__iexact=services.normalise_email(identity.email)
            ).first()
        else:
            person = None
        refused = sso.refusal(identity, person)
        if refused is not None:
            services.sso_sign_in_refused(
                email=identity.email,
                reason=refused.reason,
                detail=str(refused.message),
                provider=identity.provider,
            )
            raise ImmediateHttpResponse(refused_page(request, refused.message))
        if not sociallogin.is_existing:
            person = services.sso_person_for(
                email=identity.email,
                first_name=identity.first_name,
                last_name=identity.last_name,
                provider=identity.provider,
            )
            # Links the school account to the portal account; allauth then signs them in.
            sociallogin.connect(request, person)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        if error == "cancelled":
            message = _("You did not finish signing in with your school account.")
        else:
            message = _(
                "Signing in with your school account did not work. Try again; if it still "
                "fails, contact %(support_contact)s."
            ) % {"support_contact": settings.SUPPORT_CONTACT}
        services.sso_sign_in_refused(
            email="",
            reason=f"provider_error:{error or 'unknown'}",
            detail=f"{type(exception).__name__}: {exception}"[:500] if exception else "",
            provider=getattr(provider, "id", str(provider)),
        )
        raise ImmediateHttpResponse(refused_page(request, message, status=400))
