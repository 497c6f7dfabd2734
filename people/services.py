"""Changes to people's accounts: adding someone, their roles, closing and reopening an account,
and the accounts single sign-on makes or links.

Each function checks the actor's right (redbridge_portal.roles), changes the account inside one
transaction with the row locked, writes the audit entry and tells the person by email
(redbridge_portal.services.notify). A refused change raises AccountError with a message a
policy admin can read.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people import importer
from people.models import StaffImport
from redbridge_portal import roles
from redbridge_portal.models import NotificationKind, User
from redbridge_portal.services import (
    AccountError,
    account_state,
    audit_record,
    audit_record_many,
    notify,
    user_account_changed,
    user_sessions_end,
)

# The roles a policy admin gives or removes; everyone with an account is Staff.
EXTRA_ROLES = (roles.SENIOR_TEAM, roles.POLICY_ADMIN)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_may_manage(actor: User) -> None:
    if not roles.can_manage_people(actor):
        raise AccountError(_("You do not have permission to manage people."))


def _lock_policy_admins() -> None:
    """Serialise every change that could leave the school without a policy admin: two admins
    removing each other at the same moment would otherwise both pass the check."""
    Group.objects.select_for_update().filter(name=roles.POLICY_ADMIN).first()


def _would_leave_no_policy_admin(person: User) -> bool:
    others = roles.policy_admins().exclude(pk=person.pk)
    return roles.has_role(person, roles.POLICY_ADMIN) and not others.exists()


def _sign_in_instructions() -> str:
    if settings.SSO_PROVIDER:
        return _("Sign in at %(site)s/ with your school account.") % {"site": settings.SITE_URL}
    return _("To choose your password, go to %(address)s and enter your school email address.") % {
        "address": settings.SITE_URL + reverse("password_reset")
    }


def _email_taken(email: str) -> AccountError:
    return AccountError(_("Someone already has the email address %(email)s.") % {"email": email})


def _only_policy_admin(person: User) -> AccountError:
    return AccountError(
        _("%(person)s is the only policy admin. Make someone else a policy admin first.")
        % {"person": person}
    )


def person_add(*, actor: User, email: str, first_name: str, last_name: str, extra_roles=()) -> User:
    """Give someone an account, as Staff plus any of EXTRA_ROLES. The account has no password:
    they sign in with their school account (single sign-on) or choose one through "I have
    forgotten my password". Refuses an email address someone already has (ignoring case)."""
    _check_may_manage(actor)
    email = normalise_email(email)
    wanted = [role for role in EXTRA_ROLES if role in set(extra_roles)]
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise _email_taken(email)
        person = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        person.set_unusable_password()
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            # The same form sent twice at once: the other request made the account.
            raise _email_taken(email) from None
        person.groups.add(*Group.objects.filter(name__in=[roles.STAFF, *wanted]))
        audit_record(
            actor=actor, action="user.created", target=person, data={"after": account_state(person)}
        )
        notify(
            recipients=[person],
            kind=NotificationKind.ACCOUNT_CHANGED,
            subject=_("You have an account on the staff portal"),
            message=_account_given_message(actor, roles_given=wanted),
            url=reverse("home"),
        )
    return person


def _account_given_message(actor: User, *, roles_given=()) -> str:
    where = {"actor": actor, "school": settings.SCHOOL_NAME}
    if roles_given:
        given = _(
            "%(actor)s has given you an account on the %(school)s staff portal with the "
            "roles: %(roles)s."
        ) % {**where, "roles": ", ".join([roles.STAFF, *roles_given])}
    else:
        given = _("%(actor)s has given you an account on the %(school)s staff portal.") % where
    return given + " " + _sign_in_instructions()


def person_roles_set(*, actor: User, person: User, extra_roles) -> User:
    """Set which of EXTRA_ROLES someone holds (Staff always stays). Refuses the actor's own
    roles and removing the school's last policy admin. No change, no record."""
    _check_may_manage(actor)
    if not roles.may_change_roles(actor, person):
        raise AccountError(
            _("You cannot change your own roles. Ask another policy admin to change them.")
        )
    wanted = {role for role in EXTRA_ROLES if role in set(extra_roles)}
    with transaction.atomic():
        _lock_policy_admins()
        person = User.objects.select_for_update().get(pk=person.pk)
        before = account_state(person)
        held = set(before["roles"]) & set(EXTRA_ROLES)
        if held == wanted:
            return person
        if roles.POLICY_ADMIN in held - wanted and _would_leave_no_policy_admin(person):
            raise _only_policy_admin(person)
        groups = {group.name: group for group in Group.objects.filter(name__in=EXTRA_ROLES)}
        person.groups.remove(*[groups[role] for role in held - wanted])
        person.groups.add(*[groups[role] for role in wanted - held])
        person = User.objects.prefetch_related("groups").get(pk=person.pk)
        after = account_state(person)
        user_account_changed(actor=actor, user=person, before=before, after=after)
        added = [role for role in EXTRA_ROLES if role in wanted - held]
        removed = [role for role in EXTRA_ROLES if role in held - wanted]
        lines = []
        if added:
            lines.append(
                ngettext(
                    "You now have the role: %(roles)s.",
                    "You now have the roles: %(roles)s.",
                    len(added),
                )
                % {"roles": ", ".join(added)}
            )
        if removed:
            lines.append(_("You no longer have: %(roles)s.") % {"roles": ", ".join(removed)})
        notify(
            recipients=[person],
            kind=NotificationKind.ACCOUNT_CHANGED,
            subject=_("Your roles on the staff portal have changed"),
            message=_("%(actor)s changed your roles.") % {"actor": actor} + " " + " ".join(lines),
            url=reverse("account_profile"),
        )
    return person


def person_deactivate(*, actor: User, person: User) -> User:
    """Close a leaver's account: they cannot sign in (with a password or their school
    account) and every session they have ends now. The account, and everything it did, stays
    in the records and the published log. Refuses the actor's own account and the last policy
    admin; tells the person by email."""
    if not roles.may_manage_accounts(actor):
        raise AccountError(_("You do not have permission to close accounts."))
    if actor.pk == person.pk:
        raise AccountError(_("You cannot close your own account. Ask another administrator."))
    with transaction.atomic():
        _lock_policy_admins()
        person = User.objects.select_for_update().get(pk=person.pk)
        if not person.is_active:
            raise AccountError(_("%(person)s already cannot sign in.") % {"person": person})
        if _would_leave_no_policy_admin(person):
            raise _only_policy_admin(person)
        # Told before the account closes: notifications are not made for closed accounts.
        notify(
            recipients=[person],
            kind=NotificationKind.ACCOUNT_CHANGED,
            subject=_("Your staff portal account has been closed"),
            message=_(
                "%(actor)s has closed your account on the %(school)s staff portal. If this is a "
                "mistake, contact %(contact)s."
            )
            % {"actor": actor, "school": settings.SCHOOL_NAME, "contact": settings.SUPPORT_CONTACT},
        )
        person.is_active = False
        person.save(update_fields=["is_active"])
        ended = user_sessions_end(user=person)
        audit_record(
            actor=actor, action="user.deactivated", target=person, data={"sessions_ended": ended}
        )
    return person


def person_reactivate(*, actor: User, person: User) -> User:
    """Reopen a closed account (not an anonymised one) and tell the person."""
    _check_may_manage(actor)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.is_anonymised:
            raise AccountError(_("An anonymised account cannot be reopened. Add the person again."))
        if person.is_active:
            raise AccountError(_("%(person)s can already sign in.") % {"person": person})
        person.is_active = True
        person.save(update_fields=["is_active"])
        audit_record(actor=actor, action="user.reactivated", target=person)
        notify(
            recipients=[person],
            kind=NotificationKind.ACCOUNT_CHANGED,
            subject=_("Your staff portal account is open again"),
            message=_("%(actor)s has reopened your account.") % {"actor": actor}
            + " "
            + _sign_in_instructions(),
            url=reverse("home"),
        )
    return person


# --- Single sign-on -------------------------------------------------------------------------


def sso_sign_in_refused(*, email: str, reason: str, detail: str, provider: str) -> None:
    """Record a refused single sign-on (nothing else is changed)."""
    person = User.objects.filter(email__iexact=normalise_email(email)).first() if email else None
    audit_record(
        actor=None,
        action="login.sso_refused",
        target=person,
        summary=detail,
        data={"email": normalise_email(email)[:254], "reason": reason, "provider": provider},
    )


def sso_signed_in(*, person: User, provider: str, second_factor: bool) -> None:
    """Record how a single sign-on went (Django's own sign-in record is written too)."""
    audit_record(
        actor=person,
        action="login.sso",
        target=person,
        summary=(
            _("With their school account; the provider confirmed a second factor.")
            if second_factor
            else _("With their school account.")
        ),
        data={"provider": provider, "provider_second_factor": second_factor},
    )


def sso_person_for(*, email: str, first_name: str, last_name: str, provider: str) -> User:
    """The account a verified school email signs in to: the existing one with that address
    (ignoring case), or a new Staff account named from the provider's claims."""
    email = normalise_email(email)
    with transaction.atomic():
        person = User.objects.filter(email__iexact=email).first()
        if person is not None:
            return person
        person = User(
            email=email,
            first_name=(first_name or "").strip()[:150],
            last_name=(last_name or "").strip()[:150],
        )
        person.set_unusable_password()
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            # Two first sign-ins at once (two tabs, a retried callback): the other made it.
            return User.objects.get(email__iexact=email)
        person.groups.add(Group.objects.get(name=roles.STAFF))
        audit_record(
            actor=None,
            action="user.created",
            target=person,
            summary=_("Made at their first sign-in with their school account (%(provider)s).")
            % {"provider": provider},
            data={"after": account_state(person), "provider": provider},
        )
    return person


def personal_data_anonymise(*, user: User) -> None:
    """Forget the school account linked for single sign-on (its data holds their email and
    name); the link is made again if the account is ever reopened and used."""
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.filter(user=user).delete()


# --- Importing staff from a CSV file ----------------------------------------------------------


def staff_imports_forget_unconfirmed() -> int:
    """Staff lists uploaded but never confirmed hold names and addresses for no purpose: a day
    on, they go (daily, and at each upload). Returns how many were forgotten."""
    deleted, _by_model = StaffImport.objects.filter(
        applied_at__isnull=True, uploaded_at__lt=timezone.now() - timedelta(days=1)
    ).delete()
    return deleted


def staff_import_upload(
    *, actor: User, file_name: str, data: bytes, deactivate_missing: bool
) -> StaffImport:
    """Read an uploaded staff list and keep its rows for the preview. Nothing else changes.
    Raises importer.FileRefused for a file that cannot be read at all."""
    _check_may_manage(actor)
    read = importer.read_staff_csv(data)
    staff_imports_forget_unconfirmed()
    return StaffImport.objects.create(
        uploaded_by=actor,
        file_name=(file_name or "staff.csv")[:255],
        rows=read.rows,
        has_role_columns=read.has_role_columns,
        deactivate_missing=deactivate_missing,
    )


def staff_import_plan(*, actor: User, staff_import: StaffImport) -> importer.Plan:
    return importer.plan(
        rows=staff_import.rows,
        has_role_columns=staff_import.has_role_columns,
        actor=actor,
        deactivate_missing=staff_import.deactivate_missing,
    )


def staff_import_apply(
    *, actor: User, staff_import: StaffImport, only_valid_rows: bool, expected: dict
) -> dict:
    """Make the changes the preview showed, all at once or not at all.

    The plan is worked out again against the accounts as they are now; if it no longer
    matches the counts the admin saw (`expected`), nothing changes and AccountError asks them
    to look again. A file with error rows imports nothing unless `only_valid_rows`. Each new,
    changed or closed account gets its own audit entry and email; the import one more.
    """
    _check_may_manage(actor)
    with transaction.atomic():
        _lock_policy_admins()
        staff_import = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
        if not roles.may_confirm_import(actor, staff_import):
            raise AccountError(_("Only the person who uploaded this file can import it."))
        if staff_import.applied_at is not None:
            raise AccountError(_("This file has already been imported."))
        plan = staff_import_plan(actor=actor, staff_import=staff_import)
        if plan.counts() != expected:
            raise AccountError(
                _(
                    "Accounts have changed since the preview was made. Check the new preview "
                    "and confirm again."
                )
            )
        if plan.blocking:
            raise AccountError(" ".join(plan.blocking))
        if plan.errors and not only_valid_rows:
            raise AccountError(
                _(
                    "Some rows have errors. Correct the file and upload it again, or choose to "
                    "import only the rows without errors."
                )
            )
        _import_new(actor, plan.new)
        _import_changes(actor, plan.changed)
        for person in plan.to_close:
            person_deactivate(actor=actor, person=person)
        result = plan.counts()
        staff_import.applied_at = timezone.now()
        staff_import.result = result
        # The file's rows (names and addresses) are not needed once imported: the accounts
        # and the audit log hold what happened.
        staff_import.rows = []
        staff_import.save(update_fields=["applied_at", "result", "rows"])
        audit_record(
            actor=actor,
            action="people.imported",
            target=staff_import,
            summary=_(
                "%(new)s added, %(changed)s changed, %(to_close)s closed, %(unchanged)s "
                "unchanged, %(errors)s rows with errors left out."
            )
            % result,
            data=result,
        )
    return result


def _import_new(actor: User, rows: list[dict]) -> None:
    if not rows:
        return
    people = []
    for row in rows:
        person = User(email=row["email"], first_name=row["first_name"], last_name=row["last_name"])
        person.set_unusable_password()
        people.append(person)
    User.objects.bulk_create(people, batch_size=500)
    # Read back by email: not every database returns the new ids from a bulk insert.
    created = {p.email: p for p in User.objects.filter(email__in=[r["email"] for r in rows])}
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    memberships = []
    for row in rows:
        person = created[row["email"]]
        for role in [roles.STAFF, *row.get("roles", [])]:
            memberships.append(User.groups.through(user_id=person.pk, group_id=groups[role].pk))
    User.groups.through.objects.bulk_create(memberships, batch_size=1000)
    audit_record_many(
        actor=actor,
        action="user.created",
        entries=[
            (
                created[row["email"]],
                _("Imported from a staff list."),
                {"roles": [roles.STAFF, *row.get("roles", [])]},
            )
            for row in rows
        ],
    )
    notify(
        recipients=list(created.values()),
        kind=NotificationKind.ACCOUNT_CHANGED,
        subject=_("You have an account on the staff portal"),
        message=_account_given_message(actor),
        url=reverse("home"),
    )


def _import_changes(actor: User, rows: list[dict]) -> None:
    if not rows:
        return
    people = User.objects.prefetch_related("groups").in_bulk([row["person_id"] for row in rows])
    groups = {group.name: group for group in Group.objects.filter(name__in=EXTRA_ROLES)}
    for row in rows:
        person = people[row["person_id"]]
        before = account_state(person)
        person.first_name, person.last_name = row["first_name"], row["last_name"]
        reopened = not person.is_active
        person.is_active = True
        person.save(update_fields=["first_name", "last_name", "is_active"])
        if "roles" in row and any(change.startswith("roles") for change in row["changes"]):
            person.groups.remove(*groups.values())
            person.groups.add(*[groups[role] for role in row["roles"]])
        audit_record(
            actor=actor,
            action="user.reactivated" if reopened else "user.changed",
            target=person,
            summary=_("From a staff list: %(changes)s.") % {"changes": "; ".join(row["changes"])},
            data={"before": before, "after": {"roles": [roles.STAFF, *row.get("roles", [])]}},
        )
        notify(
            recipients=[person],
            kind=NotificationKind.ACCOUNT_CHANGED,
            subject=_("Your staff portal account has changed"),
            message=_staff_list_change_message(actor, row),
            url=reverse("account_profile"),
        )


def _staff_list_change_message(actor: User, row: dict) -> str:
    values = {"actor": actor, "name": f"{row['first_name']} {row['last_name']}"}
    if "roles" not in row:
        return (
            _("%(actor)s updated your account from the school's staff list: your name is %(name)s.")
            % values
        )
    return _(
        "%(actor)s updated your account from the school's staff list: your name is %(name)s, "
        "your roles: %(roles)s."
    ) % {**values, "roles": ", ".join([roles.STAFF, *row["roles"]])}
