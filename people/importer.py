"""Reading a staff list exported by the school's management information system, and working
out what importing it would change.

`read_staff_csv(data)` turns the file's bytes into rows (or refuses the whole file with a
reason a person can act on); `plan(rows, ...)` compares the rows with the accounts as they are
now. Nothing here writes to the database: people.services.staff_import_apply does, from a plan.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from redbridge_portal import roles

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000

# Column headings as the common systems write them, compared without case, spaces or
# punctuation ("E-mail address" is "emailaddress").
EMAIL_HEADINGS = {"email", "emailaddress", "schoolemail", "workemail", "mail", "username"}
FULL_NAME_HEADINGS = {"name", "fullname", "displayname", "staffname"}
FIRST_NAME_HEADINGS = {"firstname", "forename", "givenname", "legalforename", "preferredforename"}
LAST_NAME_HEADINGS = {"lastname", "surname", "familyname", "legalsurname", "preferredsurname"}
ROLES_HEADINGS = {"roles", "role", "portalroles"}
ROLE_COLUMN_HEADINGS = {
    "seniorteam": roles.SENIOR_TEAM,
    "slt": roles.SENIOR_TEAM,
    "policyadmin": roles.POLICY_ADMIN,
}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
ROLE_NAMES = {re.sub(r"[^a-z]", "", role.lower()): role for role in roles.ROLES}
ROLE_NAMES["slt"] = roles.SENIOR_TEAM


class FileRefused(Exception):
    """The whole file cannot be read; the message says why and what to do."""


def _heading(text: str) -> str:
    return re.sub(r"[^a-z]", "", (text or "").lower())


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise FileRefused(
            _(
                "This is not a CSV file: it looks like a spreadsheet or another binary file. In "
                'Excel, choose File, Save As, and the type "CSV UTF-8 (Comma delimited)".'
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain "CSV (Comma delimited)" on Windows is saved in this encoding.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused(
            _('The file\'s text could not be read. Save it as "CSV UTF-8" and upload it again.')
        ) from None


@dataclass
class ReadFile:
    rows: list[dict] = field(default_factory=list)
    has_role_columns: bool = False


def read_staff_csv(data: bytes) -> ReadFile:
    """The rows of a staff CSV: for each, its row number in the file (the heading is row 1)
    and either the person's email, names and roles, or the error that stops it."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            _(
                "The file is larger than %(megabytes)s MB. A staff list is much smaller: check "
                "it is the right file."
            )
            % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)}
        )
    text = _decode(data)
    if not text.strip():
        raise FileRefused(_("The file is empty."))
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileRefused(
            _("The file is not a readable CSV file (%(error)s).") % {"error": error}
        ) from None
    headings = [_heading(cell) for cell in table[0]]
    columns = _columns(headings)
    found = ReadFile(has_role_columns=columns["roles"] is not None or bool(columns["role_columns"]))
    if len(table) - 1 > MAX_ROWS:
        raise FileRefused(_("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS})
    for index, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (Excel often leaves some at the end)
        found.rows.append(_read_row(index, cells, columns))
    if not found.rows:
        raise FileRefused(_("The file has a heading row but nobody in it."))
    return found


def _columns(headings: list[str]) -> dict:
    def first(names):
        return next((i for i, h in enumerate(headings) if h in names), None)

    columns = {
        "email": first(EMAIL_HEADINGS),
        "name": first(FULL_NAME_HEADINGS),
        "first_name": first(FIRST_NAME_HEADINGS),
        "last_name": first(LAST_NAME_HEADINGS),
        "roles": first(ROLES_HEADINGS),
        "role_columns": {
            i: ROLE_COLUMN_HEADINGS[h] for i, h in enumerate(headings) if h in ROLE_COLUMN_HEADINGS
        },
    }
    if columns["email"] is None:
        raise FileRefused(
            _('The first row must name the columns, with one called "Email". Found: %(found)s.')
            % {"found": ", ".join(f'"{h}"' for h in headings if h) or _("nothing")}
        )
    if columns["name"] is None and (columns["first_name"] is None or columns["last_name"] is None):
        raise FileRefused(
            _(
                'The file needs the people\'s names: a "Name" column, or "First name" and '
                '"Last name" (or "Forename" and "Surname").'
            )
        )
    return columns


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _read_row(number: int, cells: list[str], columns: dict) -> dict:
    row = {"row": number}
    email = _cell(cells, columns["email"]).lower()
    if columns["first_name"] is not None and columns["last_name"] is not None:
        first_name = _cell(cells, columns["first_name"])
        last_name = _cell(cells, columns["last_name"])
    else:
        first_name, _space, last_name = _cell(cells, columns["name"]).rpartition(" ")
        if not first_name:
            first_name, last_name = last_name, ""
    row.update(email=email, first_name=first_name, last_name=last_name)
    if not email:
        return {**row, "error": _("No email address.")}
    try:
        validate_email(email)
    except ValidationError:
        return {**row, "error": _('"%(email)s" is not an email address.') % {"email": email}}
    domains = settings.SSO_ALLOWED_DOMAINS
    if domains and email.rpartition("@")[2] not in domains:
        return {
            **row,
            "error": _("%(email)s is not a school email address (allowed: %(domains)s).")
            % {"email": email, "domains": ", ".join(domains)},
        }
    if not first_name or not last_name:
        return {**row, "error": _("The first name or last name is missing.")}
    if len(first_name) > 150 or len(last_name) > 150 or len(email) > 254:
        return {**row, "error": _("The name or email address is too long.")}
    if columns["roles"] is None and not columns["role_columns"]:
        return row
    extra = set()
    if columns["roles"] is not None:
        for part in re.split(r"[;|,/]", _cell(cells, columns["roles"])):
            if not part.strip():
                continue
            role = ROLE_NAMES.get(_heading(part))
            if role is None:
                return {
                    **row,
                    "error": _('"%(role)s" is not a role in the portal.') % {"role": part.strip()},
                }
            extra.add(role)
    for index, role in columns["role_columns"].items():
        value = _cell(cells, index).lower()
        if value in YES:
            extra.add(role)
        elif value not in NO:
            return {
                **row,
                "error": _('"%(value)s" under "%(role)s" should be yes or no.')
                % {"value": value, "role": role},
            }
    extra.discard(roles.STAFF)
    row["roles"] = sorted(extra)
    return row


# --- What an import would change ------------------------------------------------------------


@dataclass
class Plan:
    new: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    to_close: list = field(default_factory=list)  # users
    blocking: list[str] = field(default_factory=list)  # reasons nothing can be imported

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.to_close)

    def counts(self) -> dict:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
            "to_close": len(self.to_close),
        }


def plan(*, rows: list[dict], has_role_columns: bool, actor, deactivate_missing: bool) -> Plan:
    """Compare the file's rows with the accounts now. Two rows with one email are both
    errors; changing the importing admin's own roles, or leaving no policy admin, is too."""
    from redbridge_portal.models import User

    result = Plan()
    seen: dict[str, int] = {}
    duplicates = set()
    for row in rows:
        if "error" not in row:
            if row["email"] in seen:
                duplicates.add(row["email"])
            seen.setdefault(row["email"], row["row"])
    people = {
        person.email.lower(): person
        for person in User.objects.prefetch_related("groups").filter(email__in=list(seen))
    }
    admins_after = {p.pk for p in roles.policy_admins()}
    for row in rows:
        if "error" in row:
            result.errors.append(row)
            continue
        if row["email"] in duplicates:
            first = seen[row["email"]]
            result.errors.append(
                {
                    **row,
                    "error": _("%(email)s is in the file more than once (row %(row)s).")
                    % {"email": row["email"], "row": first},
                }
            )
            continue
        person = people.get(row["email"])
        if person is None:
            result.new.append({**row, "roles": row.get("roles", [])})
            continue
        if person.is_anonymised:
            result.errors.append(
                {**row, "error": _("This address belongs to an anonymised account.")}
            )
            continue
        changes = []
        if (person.first_name, person.last_name) != (row["first_name"], row["last_name"]):
            changes.append(
                _("name was %(first_name)s %(last_name)s")
                % {"first_name": person.first_name, "last_name": person.last_name}
            )
        if not person.is_active:
            changes.append(_("account reopened"))
        held = sorted(set(roles.role_names(person)) - {roles.STAFF})
        if has_role_columns and held != row["roles"]:
            if person.pk == actor.pk:
                result.errors.append(
                    {**row, "error": _("These are your own roles: ask another policy admin.")}
                )
                continue
            changes.append(
                _("roles were %(roles)s") % {"roles": ", ".join(held) or _("Staff only")}
            )
            if roles.POLICY_ADMIN in row["roles"]:
                admins_after.add(person.pk)
            else:
                admins_after.discard(person.pk)
        if changes:
            result.changed.append({**row, "person_id": person.pk, "changes": changes})
        else:
            result.unchanged += 1
    if deactivate_missing:
        listed = set(seen)
        result.to_close = [
            person
            for person in User.objects.filter(is_active=True, is_superuser=False).order_by(
                "last_name", "first_name"
            )
            if person.email.lower() not in listed
            and person.pk != actor.pk
            and not person.is_anonymised
        ]
        admins_after -= {person.pk for person in result.to_close}
    if not admins_after:
        result.blocking.append(
            _(
                "This import would leave the portal with no policy admin. Keep at least one "
                "policy admin in the file."
            )
        )
    return result
