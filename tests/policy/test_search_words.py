"""Search that finds what staff type: synonyms kept by the policy admins, stemming and clause
numbers. Runs on SQLite and, with DATABASE_URL set to PostgreSQL, on full-text search."""

import pytest
from django.urls import reverse

from policy import search, services
from policy.models import SearchSynonym
from policy.search_terms import parse_query, stem
from policy.services import PolicyError

pytestmark = pytest.mark.django_db


def _labels(query):
    return [hit.label for hit in search.search_policy(query).hits]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("photo", "Clause 4.4, in its list"),  # "posting images that are …"
        ("photos", "Clause 4.4, in its list"),
        ("pupil", "Clause 6.4, in its list"),  # the policy says "students"
        ("Facebook", "Clause 3.1"),  # the policy says "social media"
        ("bullied", "Clause 4.4, in its list"),  # "bullying or harassment", "to bully"
        ("4.4", "Clause 4.4"),
        ("clause 4.4", "Clause 4.4"),
    ],
)
def test_what_staff_type_finds_the_right_clauses(policy_v1, query, expected):
    labels = _labels(query)
    assert expected in labels, labels


def test_a_clause_number_comes_first_and_only_when_it_exists(policy_v1):
    hits = search.search_policy("4.4").hits
    assert hits[0].label == "Clause 4.4"
    assert hits[0].url == reverse("policy:clause", kwargs={"number": "4.4"})
    assert search.search_policy("44.44").hits == []


def test_synonyms_are_found_by_stem(db):
    parsed = parse_query("bullied photos", [["photo", "image", "picture"], ["bully", "harass"]])
    assert parsed.groups[0][:1] == ["bullied"] and "harass" in parsed.groups[0]
    assert "image" in parsed.groups[1]
    assert stem("bullied") == stem("bullying")


def test_policy_admins_edit_the_synonyms(policy_v1, policy_admin, staff_user):
    assert "Clause 4.4, in its list" not in _labels("snapshot")
    synonym = services.search_synonym_add(actor=policy_admin, words=["snapshot", "image"])
    assert "Clause 4.4, in its list" in _labels("snapshot")
    with pytest.raises(PolicyError, match="already"):
        services.search_synonym_add(actor=policy_admin, words=["Snapshot", "image"])
    with pytest.raises(PolicyError):
        services.search_synonym_add(actor=staff_user, words=["a", "b"])
    services.search_synonym_remove(actor=policy_admin, synonym=synonym)
    assert "Clause 4.4, in its list" not in _labels("snapshot")


def test_the_synonyms_page(client, policy_v1, policy_admin, staff_user):
    url = reverse("policy:search_synonyms")
    client.force_login(staff_user)
    assert client.get(url).status_code == 403
    client.force_login(policy_admin)
    page = client.get(url)
    assert page.status_code == 200 and "photo" in page.content.decode()
    response = client.post(url, {"words": "only-one"})
    assert response.status_code == 400
    assert "two or more words" in response.content.decode()
    response = client.post(url, {"words": "snapshot, image"})
    assert response.status_code == 302
    synonym = SearchSynonym.objects.get(words="snapshot, image")
    response = client.post(reverse("policy:search_synonym_remove", kwargs={"pk": synonym.pk}))
    assert response.status_code == 302
    assert not SearchSynonym.objects.filter(pk=synonym.pk).exists()
