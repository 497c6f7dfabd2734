"""Queries per request for each benchmarked page, measured in-process (prints one JSON line)."""

import json
import uuid

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.dataset import OUT_DIR  # noqa: E402


def signed_in_client(cookie_header: str) -> Client:
    # enforce_csrf_checks: the mixed workload's writes must carry a token Django accepts.
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    for cookie in cookie_header.split("; "):
        cookie_name, value = cookie.split("=", 1)
        client.cookies[cookie_name] = value
    return client


def check_mixed_workload(mixed: dict) -> None:
    """Every page of the mixed workload answers 200 for its person, and each kind of write it
    sends (as bench/mixed.lua sends them) is done: a slow or refused write would otherwise pass
    as a fast page."""
    from approvals.models import Post, PostStatus

    for person in mixed["readers"] + mixed["deciders"]:
        client = signed_in_client(person["cookie"])
        for path in person["paths"]:
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"mixed workload: {path} answered {status}")
    reader = mixed["readers"][0]
    posts_before = Post.objects.count()
    data = {
        "csrfmiddlewaretoken": reader["csrf"],
        "form_token": str(uuid.uuid4()),
        "account": mixed["new_post"]["account"],
        "text": "Year 9 visited the science museum today and built a working rover.",
        "purpose": "Shows families what the science department does.",
        "action": "submit",
        **{check: "on" for check in mixed["new_post"]["checks"]},
    }
    response = signed_in_client(reader["cookie"]).post("/posts/new/", data)
    if response.status_code != 302 or Post.objects.count() != posts_before + 1:
        raise SystemExit(f"mixed workload: a new post was not sent ({response.status_code})")
    decider = mixed["deciders"][0]
    post_id, revision_id = mixed["decide"][-1]
    response = signed_in_client(decider["cookie"]).post(
        f"/posts/{post_id}/decide/",
        {"csrfmiddlewaretoken": decider["csrf"], "outcome": "approve", "revision": revision_id},
    )
    if response.status_code != 302 or Post.objects.get(pk=post_id).status != PostStatus.APPROVED:
        raise SystemExit(f"mixed workload: a decision was not recorded ({response.status_code})")


def main():
    manifest = json.loads((OUT_DIR / "manifest.json").read_text())
    counts = {}
    pages = {"reference": ("/bench/reference/", None), **manifest["pages"]}
    for name, (path, cookie_user) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        if cookie_user:
            for cookie in manifest["cookies"][cookie_user].split("; "):
                cookie_name, value = cookie.split("=", 1)
                client.cookies[cookie_name] = value
        client.get(path)  # warm caches, as the load test does
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name} ({path}) answered {response.status_code}")
        counts[name] = len(captured.captured_queries)
    if "mixed" in manifest:
        check_mixed_workload(manifest["mixed"])
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
