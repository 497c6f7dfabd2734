"""Queries per request for each benchmarked page, measured in-process (prints one JSON line)."""

import json

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.dataset import OUT_DIR  # noqa: E402


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
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
