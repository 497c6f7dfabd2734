"""Importing the staff list: upload, preview (new, changed, unchanged, errors by row), confirm;
nothing changes before the confirmation, and the same file twice changes nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from people import importer, services
from people.models import StaffImport
from redbridge_portal import roles
from redbridge_portal.models import AuditEvent, User
from redbridge_portal.services import AccountError
from tests.factories import PolicyAdminFactory, SeniorTeamFactory, StaffFactory

pytestmark = pytest.mark.django_db

SIMPLE = (
    "Forename,Surname,Email\n"
    "Kim,Lowe,kim.lowe@redbridge.example\n"
    "Ravi,Shah,ravi.shah@redbridge.example\n"
)


def upload(client, text, *, name="staff.csv", deactivate_missing=False, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    response = client.post(
        "/people/import/",
        {
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
            "deactivate_missing": "on" if deactivate_missing else "",
        },
    )
    return response


def preview(client, text, **kwargs):
    response = upload(client, text, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    return response["Location"], page.context["counts"], page


def confirm(client, url, page, **extra):
    expected = page.context["form"]["expected"].value()
    return client.post(url, {"expected": expected, **extra})


class TestPreviewAndConfirm:
    def test_nothing_changes_until_confirmed_then_everyone_is_added(
        self, policy_admin_client, policy_admin
    ):
        url, counts, page = preview(policy_admin_client, SIMPLE)

        assert counts == {"new": 2, "changed": 0, "unchanged": 0, "errors": 0, "to_close": 0}
        assert not User.objects.filter(email="kim.lowe@redbridge.example").exists()
        assert "Kim Lowe" in page.content.decode()

        response = confirm(policy_admin_client, url, page)

        assert response.status_code == 302
        kim = User.objects.get(email="kim.lowe@redbridge.example")
        assert (kim.first_name, kim.last_name) == ("Kim", "Lowe")
        assert roles.role_names(kim) == [roles.STAFF]
        assert AuditEvent.objects.filter(action="user.created", target_id=str(kim.pk)).exists()
        assert AuditEvent.objects.filter(action="people.imported").count() == 1

    def test_reimporting_the_same_file_changes_nothing(self, policy_admin_client):
        url, _counts, page = preview(policy_admin_client, SIMPLE)
        confirm(policy_admin_client, url, page)
        events = AuditEvent.objects.count()

        _url, counts, page = preview(policy_admin_client, SIMPLE)

        assert counts == {"new": 0, "changed": 0, "unchanged": 2, "errors": 0, "to_close": 0}
        assert "nothing to import" in page.content.decode()
        assert AuditEvent.objects.count() == events

    def test_changes_to_names_and_roles_are_shown_then_made(self, policy_admin_client):
        StaffFactory(email="kim.lowe@redbridge.example", first_name="Kimberley", last_name="Lowe")
        SeniorTeamFactory(email="ravi.shah@redbridge.example", first_name="Ravi", last_name="Shah")
        text = (
            "Name;Email;Senior team;Policy admin\n"
            "Kim Lowe;kim.lowe@redbridge.example;yes;no\n"
            "Ravi Shah;ravi.shah@redbridge.example;no;no\n"
        )

        url, counts, page = preview(policy_admin_client, text)

        assert counts["changed"] == 2
        assert "name was Kimberley Lowe" in page.content.decode()
        confirm(policy_admin_client, url, page)
        kim = User.objects.get(email="kim.lowe@redbridge.example")
        assert kim.first_name == "Kim"
        assert roles.role_names(kim) == [roles.STAFF, roles.SENIOR_TEAM]
        ravi = User.objects.get(email="ravi.shah@redbridge.example")
        assert roles.role_names(ravi) == [roles.STAFF]

    def test_leavers_missing_from_the_file_are_shown_then_closed(
        self, policy_admin_client, policy_admin
    ):
        leaver = StaffFactory(first_name="Lee", last_name="Leaver")
        text = SIMPLE + f"Alex,Hoyle,{policy_admin.email}\n"

        url, counts, page = preview(policy_admin_client, text, deactivate_missing=True)

        assert counts["to_close"] == 1
        assert "Lee Leaver" in page.content.decode()
        leaver.refresh_from_db()
        assert leaver.is_active
        confirm(policy_admin_client, url, page)
        leaver.refresh_from_db()
        assert not leaver.is_active
        policy_admin.refresh_from_db()
        assert policy_admin.is_active

    def test_a_confirmed_import_cannot_be_applied_twice(self, policy_admin_client):
        url, _counts, page = preview(policy_admin_client, SIMPLE)
        confirm(policy_admin_client, url, page)

        response = confirm(policy_admin_client, url, page)

        assert response.status_code == 302
        assert User.objects.filter(email="kim.lowe@redbridge.example").count() == 1

    def test_if_accounts_changed_since_the_preview_nothing_is_imported(self, policy_admin_client):
        url, _counts, page = preview(policy_admin_client, SIMPLE)
        StaffFactory(email="kim.lowe@redbridge.example")  # added meanwhile by someone else

        response = confirm(policy_admin_client, url, page)

        assert response.status_code == 302
        assert not User.objects.filter(email="ravi.shah@redbridge.example").exists()
        assert StaffImport.objects.get().applied_at is None

    def test_only_the_uploader_sees_and_confirms_their_upload(self, policy_admin_client, client):
        url, _counts, page = preview(policy_admin_client, SIMPLE)
        client.force_login(PolicyAdminFactory())

        assert client.get(url).status_code == 403
        assert client.post(url, {"expected": "2,0,0,0,0"}).status_code == 403


class TestErrors:
    def test_each_bad_row_is_listed_with_its_row_number_and_reason(
        self, policy_admin_client, settings
    ):
        settings.SSO_ALLOWED_DOMAINS = ["redbridge.example"]
        text = (
            "First name,Last name,Email,Roles\n"
            "Kim,Lowe,kim.lowe@redbridge.example,\n"  # row 2: fine
            "Jo,,jo@redbridge.example,\n"  # row 3: no last name
            "Sam,Patel,,\n"  # row 4: no email
            "Sam,Patel,not-an-address,\n"  # row 5: not an email
            "Pat,Jones,pat@gmail.example,\n"  # row 6: not a school address
            "Ann,Lee,ann@redbridge.example,Head teacher\n"  # row 7: unknown role
            "Kim,Lowe,KIM.LOWE@redbridge.example,\n"  # row 8: twice in the file
        )

        url, counts, page = preview(policy_admin_client, text)

        errors = {row["row"]: row["error"] for row in page.context["plan"].errors}
        assert set(errors) == {2, 3, 4, 5, 6, 7, 8}
        assert "missing" in errors[3]
        assert "No email" in errors[4]
        assert "not an email address" in errors[5]
        assert "not a school email address" in errors[6]
        assert "not a role" in errors[7]
        assert "more than once" in errors[8] and "more than once" in errors[2]
        assert counts["new"] == 0

    def test_a_file_with_errors_imports_nothing_unless_asked_for_the_valid_rows(
        self, policy_admin_client
    ):
        text = SIMPLE + "Jo,,jo@redbridge.example\n"
        url, counts, page = preview(policy_admin_client, text)
        assert counts["errors"] == 1 and counts["new"] == 2

        response = confirm(policy_admin_client, url, page)
        assert response.status_code == 302
        assert not User.objects.filter(email="kim.lowe@redbridge.example").exists()

        confirm(policy_admin_client, url, page, only_valid_rows="on")
        assert User.objects.filter(email="kim.lowe@redbridge.example").exists()
        assert not User.objects.filter(email="jo@redbridge.example").exists()

    def test_your_own_roles_cannot_change_by_import(self, policy_admin_client, policy_admin):
        text = f"Name,Email,Roles\nAlex Hoyle,{policy_admin.email},\n"

        _url, counts, page = preview(policy_admin_client, text)

        assert counts["errors"] == 1
        assert "your own roles" in page.context["plan"].errors[0]["error"]

    def test_an_import_that_leaves_no_policy_admin_is_refused(self, policy_admin):
        other_admin = PolicyAdminFactory()
        staff_import = StaffImport.objects.create(
            uploaded_by=policy_admin,
            file_name="x.csv",
            rows=[
                {
                    "row": 2,
                    "email": other_admin.email,
                    "first_name": other_admin.first_name,
                    "last_name": other_admin.last_name,
                    "roles": [],
                }
            ],
            has_role_columns=True,
        )
        # Imagine the importing admin no longer holds the role by the time they confirm.
        policy_admin.groups.remove(*policy_admin.groups.filter(name=roles.POLICY_ADMIN))
        plan = importer.plan(
            rows=staff_import.rows,
            has_role_columns=True,
            actor=policy_admin,
            deactivate_missing=False,
        )
        assert plan.blocking

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"PK\x03\x04\x00\x00binary spreadsheet", "not a CSV file"),
            (b"", "empty"),
            (b"Name,Phone\nKim,0123\n", "Email"),
            (b"Email\nkim@redbridge.example\n", "names"),
            (b"Name,Email\n", "nobody in it"),
        ],
    )
    def test_a_file_that_cannot_be_read_gets_a_clear_error(
        self, policy_admin_client, data, message
    ):
        response = upload(policy_admin_client, data)

        assert response.status_code == 200
        assert message in response.content.decode()
        assert not StaffImport.objects.exists()

    def test_a_huge_file_gets_a_clear_error(self, policy_admin_client):
        data = b"Name,Email\n" + b"x" * (importer.MAX_FILE_BYTES + 1)

        response = upload(policy_admin_client, data)

        assert response.status_code == 200
        assert "larger than" in response.content.decode()


class TestFormats:
    @pytest.mark.parametrize(
        "data",
        [
            SIMPLE.encode("utf-8"),
            b"\xef\xbb\xbf" + SIMPLE.encode("utf-8"),  # UTF-8 with a byte order mark
            SIMPLE.replace(",", ";").replace("\n", "\r\n").encode("cp1252"),  # Excel, Windows
        ],
        ids=["utf-8", "utf-8-bom", "excel-semicolons"],
    )
    def test_common_exports_are_read_alike(self, data):
        read = importer.read_staff_csv(data)

        assert [(r["first_name"], r["last_name"], r["email"]) for r in read.rows] == [
            ("Kim", "Lowe", "kim.lowe@redbridge.example"),
            ("Ravi", "Shah", "ravi.shah@redbridge.example"),
        ]

    def test_accents_from_excel_survive(self):
        data = "Name,Email\nZoë Brontë,zoe@redbridge.example\n".encode("cp1252")

        read = importer.read_staff_csv(data)

        assert read.rows[0]["first_name"] == "Zoë" and read.rows[0]["last_name"] == "Brontë"


def test_two_thousand_rows_preview_and_import(policy_admin):
    lines = ["First name,Last name,Email,Senior team"]
    lines += [
        f"Person,Number{n},person.{n}@redbridge.example,{'yes' if n % 50 == 0 else ''}"
        for n in range(2000)
    ]
    data = ("\n".join(lines) + "\n").encode()

    staff_import = services.staff_import_upload(
        actor=policy_admin, file_name="big.csv", data=data, deactivate_missing=False
    )
    plan = services.staff_import_plan(actor=policy_admin, staff_import=staff_import)
    assert plan.counts()["new"] == 2000

    result = services.staff_import_apply(
        actor=policy_admin,
        staff_import=staff_import,
        only_valid_rows=False,
        expected=plan.counts(),
    )

    assert result["new"] == 2000
    assert User.objects.filter(email__startswith="person.").count() == 2000
    assert roles.senior_team_members().count() == 40
    again = services.staff_import_upload(
        actor=policy_admin, file_name="big.csv", data=data, deactivate_missing=False
    )
    assert (
        services.staff_import_plan(actor=policy_admin, staff_import=again).counts()["unchanged"]
        == 2000
    )
    with pytest.raises(AccountError):
        services.staff_import_apply(
            actor=policy_admin,
            staff_import=staff_import,
            only_valid_rows=False,
            expected=plan.counts(),
        )
    assert re.match(r"\d+ added", AuditEvent.objects.get(action="people.imported").summary)


def test_an_upload_never_confirmed_is_forgotten_a_day_later(policy_admin, time_machine):
    data = SIMPLE.encode()
    time_machine.move_to("2026-03-02 09:00")
    old = services.staff_import_upload(
        actor=policy_admin, file_name="a.csv", data=data, deactivate_missing=False
    )
    time_machine.move_to("2026-03-03 10:00")

    services.staff_import_upload(
        actor=policy_admin, file_name="b.csv", data=data, deactivate_missing=False
    )

    assert not StaffImport.objects.filter(pk=old.pk).exists()
    assert StaffImport.objects.count() == 1


def test_staff_lists_never_confirmed_are_forgotten_by_the_daily_task(policy_admin):
    import datetime

    import time_machine
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from people.models import StaffImport
    from people.tasks import forget_unconfirmed_staff_lists

    data = b"name,email\nSam Lee,sam.lee@redbridge.example\n"
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        services.staff_import_upload(
            actor=policy_admin, file_name="old.csv", data=data, deactivate_missing=False
        )
    services.staff_import_upload(
        actor=policy_admin, file_name="new.csv", data=data, deactivate_missing=False
    )
    StaffImport.objects.filter(file_name="new.csv").update(
        uploaded_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert forget_unconfirmed_staff_lists() == 0  # the upload already forgot the old one
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert forget_unconfirmed_staff_lists() == 1
        assert forget_unconfirmed_staff_lists() == 0  # safe to run twice
    assert not StaffImport.objects.exists()
    assert PeriodicTask.objects.get(task="people.tasks.forget_unconfirmed_staff_lists").enabled


def test_the_import_errors_read_as_whole_sentences(settings):
    """The messages are translated whole, with the file's values put in their places."""
    settings.SSO_ALLOWED_DOMAINS = ["redbridge.example"]
    with pytest.raises(importer.FileRefused) as refused:
        importer.read_staff_csv(b"Name,Phone\nKim,0123\n")
    assert str(refused.value) == (
        'The first row must name the columns, with one called "Email". Found: "name", "phone".'
    )
    with pytest.raises(importer.FileRefused) as refused:
        importer.read_staff_csv(b"Name,Email\n" + b"x" * (importer.MAX_FILE_BYTES + 1))
    assert str(refused.value) == (
        "The file is larger than 5 MB. A staff list is much smaller: check it is the right file."
    )
    read = importer.read_staff_csv(
        b"First name,Last name,Email,Roles,SLT\n"
        b"Pat,Jones,pat@gmail.example,,\n"
        b"Ann,Lee,ann@redbridge.example,Head teacher,\n"
        b"Kim,Lowe,kim@redbridge.example,,maybe\n"
    )
    assert [row["error"] for row in read.rows] == [
        "pat@gmail.example is not a school email address (allowed: redbridge.example).",
        '"Head teacher" is not a role in the portal.',
        '"maybe" under "Senior team" should be yes or no.',
    ]
