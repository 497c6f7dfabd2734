"""Hostile input to every form and action: very long text, control characters, HTML, SQL
fragments, malformed dates and numbers, missing fields and wrong ids. The portal must answer
with a page or a redirect (2xx, 3xx or 4xx), never a server error, and must never send back
HTML that was typed into it.

The forms are found from the access matrix: every route a role may POST to (and every page it
may GET, whose query string is fuzzed too), with field names read from the forms the portal
actually renders. Each request is rolled back, so each starts from the same world.
"""

import copy
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals import services as approvals_services
from redbridge_portal import services
from tests.approvals.factories import ALL_CONFIRMED, content
from tests.security.test_access_matrix import EXPECTED, ROLES, cases, request
from tests.security.world import signed_in_clients

PROBE = '<script>alert("xss-probe")</script>'
PROBE_ATTRIBUTE = '" onmouseover="alert(1)" x="'

# Every field gets each of these in turn (rotated, so one request mixes several).
HOSTILE = [
    "",
    "a" * 5_000,
    "line one\x00line two",
    "\x01\x02\x07\x1b[31m\x7f\r\n\t",
    PROBE,
    PROBE_ATTRIBUTE,
    "'; DROP TABLE redbridge_portal_user; --",
    "2026-02-30",
    "9" * 40,
    "²",
    "-1",
    "javascript:alert(1)",
]
# Values a form accepts as valid (or a view parses itself) that break arithmetic done after
# validation: digits that are not ASCII, more digits than int() takes, and dates at the ends of
# the calendar, which overflow as soon as a day is added or taken away. Each is sent in every
# field on its own.
EDGE = ["²", "9" * 5_000, "9" * 19, "0001-01-01", "9999-12-31"]
# More for the random combinations.
MORE_HOSTILE = [
    " ",
    "1 OR 1=1",
    "31/12/99 25:61",
    "0000-00-00T00:00",
    "0",
    "1e309",
    "NaN",
    "٣",
    "-9" + "9" * 30,
    "999999999",
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "on",
    "true",
    "[]",
    "{'a': 1}",
    "\u202eevil\u202c",
    "﷽" * 50,
    "😀" * 300,
]

FIELD = re.compile(r"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
# Names forms use that a page might not render (hidden steps, actions shown elsewhere).
EXTRA_FIELDS = {"next", "page", "version", "revision", "outcome", "token", "pk", "id", "status"}
# Read by views without a rendered input (a list of checkboxes, the calendar's links).
EXTRA_FIELDS |= {"notification", "date"}
NOT_ALLOWED = {"login", "403", "404", "405", "admin-login"}


@pytest.fixture
def clients(world):
    # A server error comes back as a 500 response (with its exception) to report.
    return signed_in_clients(world, raise_request_exception=False)


# Who sends each request: the first role in this order that may use it.
ROLE_PREFERENCE = ("author", "senior", "policy_admin", "other_staff", "anonymous")


def targets(world, clients):
    """(method, url, role) for every form the portal has, each sent by one role allowed to use
    it, and every field name its pages render. Every page is fuzzed by GET too: filters,
    page numbers and version numbers come in the query string."""
    found, fields = [], set(EXTRA_FIELDS)
    for key, _route, url in cases(world):
        if key not in EXPECTED:
            continue  # the admin site: Django's own forms, for admins only
        get, post = (dict(zip(ROLES, row.split(), strict=True)) for row in EXPECTED[key])
        getter = next((role for role in ROLE_PREFERENCE if get[role] == "200"), None)
        if getter is not None:
            response = request(clients[getter], "GET", url)
            if response["Content-Type"].startswith("text/html"):
                html = response.content.decode()
                fields |= set(FIELD.findall(html))
            found.append(("GET", url, getter))
        poster = next((role for role in ROLE_PREFERENCE if post[role] not in NOT_ALLOWED), None)
        if poster is not None:
            found.append(("POST", url, poster))
    fields.discard("csrfmiddlewaretoken")
    return found, sorted(fields)


def check(response, where):
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        detail = f": {error[0].__name__}: {error[1]}" if error else ""
        raise AssertionError(f"{where} answered {response.status_code}{detail}")
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        body = response.content.decode(errors="replace")
        assert PROBE not in body, f"{where} sent back typed-in HTML unescaped"
        assert PROBE_ATTRIBUTE not in body, f"{where} let typed-in text out of an attribute"


def send(clients, method, url, role, data):
    client = clients[role]
    if method == "GET":
        # Query strings: the same hostile values as filters and page numbers.
        return request_with(client, "GET", url, data)
    return request_with(client, "POST", url, data)


def request_with(client, method, url, data):
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url, data) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    cache.clear()
    return response


def fuzz(clients, found, fields):
    """Send each form len(HOSTILE) times; field i gets HOSTILE[(i + n) % len(HOSTILE)] in the
    n-th, so every field meets every value. Returns the failures."""
    failures = []
    for method, url, role in found:
        for n in range(len(HOSTILE)):
            data = {name: HOSTILE[(i + n) % len(HOSTILE)] for i, name in enumerate(fields)}
            try:
                check(send(clients, method, url, role, data), f"{method} {url} as {role}")
            except AssertionError as error:
                failures.append(str(error))
                break  # one failure per form is enough to report
    return failures


def test_every_form_survives_each_hostile_value_in_every_field(world, clients):
    found, fields = targets(world, clients)
    assert len(found) > 50 and len(fields) > 20
    failures = fuzz(clients, found, fields)
    assert not failures, "\n".join(failures)


TAG = re.compile(r"<(input|textarea|select)\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b(name|type)="([^"]*)"', re.IGNORECASE)
# Free text takes any string (the other tests send it long text, HTML and control characters);
# the edge values matter where a view turns the text into a number or a date.
FREE_TEXT = {"text", "email", "url", "search", "password", "tel"}


def own_fields(client, method, url):
    """The fields of this page's forms that hold numbers, dates and choices (where actions and
    filters post from), plus the ones views read without a rendered input."""
    fields = {"date"} if method == "GET" else {"notification"}
    response = request(client, "GET", url)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        for tag in TAG.finditer(response.content.decode()):
            attributes = {k.lower(): v for k, v in ATTRIBUTE.findall(tag.group(0))}
            kind = attributes.get("type", "text").lower() if tag.group(1).lower() == "input" else ""
            if (
                "name" in attributes
                and tag.group(1).lower() != "textarea"
                and kind not in FREE_TEXT
            ):
                fields.add(attributes["name"])
    fields.discard("csrfmiddlewaretoken")
    return sorted(fields)


def test_every_form_and_page_survives_each_edge_value_in_each_field_alone(world, clients):
    """One field at a time, the others left out, so no other field's error hides the one that
    breaks (a filter form with one bad field is simply not applied)."""
    found, _fields = targets(world, clients)
    failures = []
    for method, url, role in found:
        for field in own_fields(clients[role], method, url):
            for value in EDGE:
                where = f"{method} {url} as {role} with {field}={value[:20]!r}"
                try:
                    check(send(clients, method, url, role, {field: value}), where)
                except AssertionError as error:
                    failures.append(str(error))
                    break
    assert not failures, "\n".join(failures)


def test_random_combinations_of_missing_and_hostile_fields(world, clients):
    found, fields = targets(world, clients)
    posts = [target for target in found if target[0] == "POST"]

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        target=st.sampled_from(posts),
        data=st.dictionaries(
            keys=st.sampled_from(fields),
            values=st.one_of(
                st.sampled_from(HOSTILE + MORE_HOSTILE),
                st.text(max_size=300),
                st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3),
            ),
            max_size=len(fields),
        ),
    )
    def run(target, data):
        method, url, role = target
        check(send(clients, method, url, role, data), f"{method} {url} as {role} {data!r:.200}")

    run()


def test_stored_html_is_always_shown_escaped(world, clients):
    """Hostile text saved through the services shows on every page only as text."""
    o, users = world.objects, world.users
    author, senior, policy_admin = users["author"], users["senior"], users["policy_admin"]
    author.first_name = PROBE
    author.save(update_fields=["first_name"])
    post, _ = approvals_services.post_create(
        actor=author,
        content=content(o["draft"].account, text=f"Hello {PROBE}", purpose=PROBE_ATTRIBUTE),
    )
    approvals_services.post_submit(actor=author, post=post, self_check=ALL_CONFIRMED)
    approvals_services.post_comment(actor=senior, post=o["submitted"], body=PROBE)
    approvals_services.campaign_propose(
        actor=author,
        title=PROBE,
        aim=PROBE_ATTRIBUTE,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    services.notify(recipients=[author], kind="comment_added", subject=PROBE, message=PROBE)
    services.audit_record(actor=author, action="test.probe", summary=PROBE, target=post)
    services.school_closure_add(
        actor=policy_admin,
        name=PROBE,
        first_day=timezone.localdate(),
        last_day=timezone.localdate(),
    )
    for key, _route, url in cases(world):
        if key not in EXPECTED:
            continue
        get = dict(zip(ROLES, EXPECTED[key][0].split(), strict=True))
        for role in ("author", "senior", "policy_admin"):  # between them, they see every probe
            if get[role] == "200":
                check(request(clients[role], "GET", url), f"GET {url} as {role}")
    # And the pages about the new post itself.
    for role in ROLES:
        check(request(clients[role], "GET", post.get_absolute_url()), f"new post as {role}")
