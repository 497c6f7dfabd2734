"""Markup defects a browser silently repairs but assistive technology trips over: duplicate
ids, a form inside a form, and `<time datetime>` values no parser accepts."""

import pytest
from django.urls import reverse

from approvals.services import post_comment
from redbridge_portal.services import notify
from tests.approvals.factories import AccountFactory, submitted_post
from tests.e2e.markup import markup_problems

pytestmark = pytest.mark.django_db


def test_the_checker_itself_catches_each_kind_of_defect():
    problems = markup_problems(
        "<!doctype html><html lang=en><head><title>t</title></head><body>"
        '<form><form></form></form><p id="a"></p><p id="a"></p><label for="b">B</label>'
        '<time datetime="2026-11-30T12:57:31.504093+00:00">x</time></body></html>'
    )
    text = "\n".join(problems)
    assert "form inside a form" in text
    assert 'the id "a" is used 2 times' in text
    assert 'refers to no id "b"' in text
    assert "is not a valid date/time" in text


def test_the_post_page_with_decision_and_comment_forms_has_unique_ids(senior_client, staff_user):
    post = submitted_post(staff_user, AccountFactory())
    response = senior_client.get(post.get_absolute_url())
    html = response.content.decode()
    assert f'action="/posts/{post.pk}/decide/"' in html
    assert f'action="/posts/{post.pk}/comment/"' in html
    assert markup_problems(html) == []
    # The comment form's clause field is labelled by its own label.
    assert 'for="comment_clauses"' in html and 'id="comment_clauses"' in html


def test_the_two_factor_pages_have_one_form_each(senior_client):
    response = senior_client.get(reverse("two_factor_setup"))
    assert response.status_code == 200
    assert [p for p in markup_problems(response.content.decode()) if "form" in p] == []


def test_times_are_valid_machine_readable_values(client, policy_admin, staff_user):
    post = submitted_post(staff_user, AccountFactory())
    post_comment(actor=staff_user, post=post, body="A note.")
    notify(recipients=[policy_admin], kind="post_decided", subject="S", message="M", url="/")
    client.force_login(policy_admin)
    for url in (reverse("audit_log"), reverse("notifications")):
        html = client.get(url).content.decode()
        assert "<time datetime=" in html
        assert [p for p in markup_problems(html) if "time" in p] == []
