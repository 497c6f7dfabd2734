"""Who single sign-on lets in: the school's rules, apart from django-allauth's handshake.

`identity_from(sociallogin)` reads what the provider said about the person (from allauth's
public SocialLogin attributes); `refusal(identity)` says why they may not come in, if they may
not. people.adapters applies both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Set in the session at a single sign-on whose provider vouched for a second factor: the
# portal's own second step is not asked again for that session (TwoFactorMiddleware).
PROVIDER_MFA_SESSION_KEY = "people_provider_mfa_user"


@dataclass(frozen=True)
class Identity:
    provider: str
    email: str
    email_verified: bool
    first_name: str = ""
    last_name: str = ""
    # The provider says the account belongs to another organisation than the school's.
    other_organisation: bool = False
    amr: tuple[str, ...] = field(default_factory=tuple)

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2].lower()


@dataclass(frozen=True)
class Refusal:
    reason: str  # for the audit log: "unverified_email", "domain", "tenant", "deactivated"
    message: str  # for the person


def _claims(extra_data: dict) -> list[dict]:
    """The claim sets a provider's data may hold: the ID token's, userinfo's, or the data
    itself (Google and Microsoft keep their claims at the top level)."""
    found = [extra_data]
    for key in ("id_token", "userinfo"):
        if isinstance(extra_data.get(key), dict):
            found.append(extra_data[key])
    return found


def from_other_organisation(provider: str, claims: list[dict]) -> bool:
    """Whether the provider's claims show a person from outside the school's own tenant or
    Workspace domain (a guest, another organisation, a personal account)."""
    tenant = settings.SSO_TENANT
    if provider == "microsoft":
        # The tenant's own sign-in endpoint also admits its guests, who are people from other
        # organisations: Microsoft marks their user principal name with #EXT#.
        if any("#EXT#" in str(c.get("userPrincipalName", "")) for c in claims):
            return True
        tids = {c["tid"] for c in claims if c.get("tid")}
        return bool(tids) and tids != {tenant}
    if provider == "google":
        # Google Workspace names the account's hosted domain; a personal account has none.
        return {c.get("hd") for c in claims if "hd" in c} != {tenant} if tenant else False
    if tenant:
        tids = {c.get("tid") for c in claims if "tid" in c}
        return tids != {tenant}
    return False


def identity_from(sociallogin) -> Identity:
    provider = sociallogin.account.provider
    kind = settings.SSO_PROVIDER
    claims = _claims(sociallogin.account.extra_data or {})
    user = sociallogin.user
    email = (getattr(user, "email", "") or "").strip()
    verified = any(
        address.verified and address.email.lower() == email.lower()
        for address in sociallogin.email_addresses
    )
    amr = []
    for claim_set in claims:
        values = claim_set.get("amr") or []
        amr.extend(str(v) for v in (values if isinstance(values, list) else [values]))
    return Identity(
        provider=provider,
        email=email,
        email_verified=bool(email) and verified,
        first_name=getattr(user, "first_name", "") or "",
        last_name=getattr(user, "last_name", "") or "",
        other_organisation=from_other_organisation(kind, claims),
        amr=tuple(amr),
    )


def refusal(identity: Identity, person=None) -> Refusal | None:
    """Why this identity may not sign in, or None. `person` is the portal account it would
    sign in to, if one exists."""
    if identity.other_organisation:
        return Refusal(
            "tenant",
            _(
                "That account belongs to another organisation. Sign in with the account the "
                "school gave you."
            ),
        )
    if not identity.email or not identity.email_verified:
        return Refusal(
            "unverified_email",
            _(
                "Your school account did not give a verified email address, so the portal "
                "cannot tell who you are."
            ),
        )
    if identity.domain not in settings.SSO_ALLOWED_DOMAINS:
        return Refusal(
            "domain",
            _(
                "%(email)s is not a school email address. Sign in with the account the "
                "school gave you."
            )
            % {"email": identity.email},
        )
    if person is not None and not person.is_active:
        return Refusal(
            "deactivated",
            _("Your account on the staff portal has been closed."),
        )
    return None


def used_second_factor(identity: Identity) -> bool:
    """The provider vouches that the person used multi-factor authentication: its `amr`
    claim says so, or the deployment trusts the provider to enforce it for everyone."""
    return settings.SSO_TRUSTS_PROVIDER_MFA or "mfa" in identity.amr


def provider_mfa_satisfied(request) -> bool:
    """This session began with a single sign-on that counted as two-factor sign-in."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return False
    return session.get(PROVIDER_MFA_SESSION_KEY) == str(user.pk)
