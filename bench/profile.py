"""Where a benchmarked page spends its time: `python -m bench.profile queue_first_page`.

Serves the page in-process (Django's test client, the benchmark's settings and data set, the
signed-in person the benchmark uses) a number of times under cProfile and prints the mean time
per request, the queries per request and the functions that cost the most. `make bench` builds
the data set first. The profile is of one process doing nothing else, so it shows where the
CPU goes; the throughput itself is measured by `make bench`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import time

from bench.run import OUT_DIR, bench_env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "page", help="a page name from var/bench/manifest.json, e.g. queue_first_page"
    )
    parser.add_argument("-n", "--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    args = parser.parse_args()

    os.environ.update(bench_env())
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.queries import signed_in_client

    manifest = json.loads((OUT_DIR / "manifest.json").read_text())
    path, person = manifest["pages"][args.page]
    if person:
        client = signed_in_client(manifest["cookies"][person])
    else:  # a page for visitors who are not signed in (the sign-in page)
        client = Client(HTTP_HOST="127.0.0.1")

    for _ in range(20):  # warm the template loader, the URL resolver and the connection
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    queries = []
    # Counted with a wrapper: the test client's request_started signal resets connection.queries.
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        client.get(path)

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(path)
    profiler.disable()
    elapsed = time.perf_counter() - started

    print(
        f"{args.page} {path}: {elapsed / args.requests * 1000:.2f} ms a request under the "
        f"profiler, {len(queries)} queries"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
