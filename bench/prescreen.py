"""How long pre-screening a long draft takes: `python -m bench.prescreen`.

The pre-screen runs as the author types (after a pause) and again on the post page, so it must
stay well under the time a person notices. Measured here rather than asserted in a test, where
a busy machine would make a timing check flaky. Needs no database: the lists are given.
"""

from __future__ import annotations

import os
import statistics
import time

import django

SENTENCE = (
    "Email jo.bloggs@example.com or call 020 7946 0000; @parent_group says Sam Patel "
    "visited https://unknown.example/x after the staff meeting. Year 6 loved it. "
)
TERMS = ["staff meeting", "disciplinary", "Ofsted", "idiot"] + [
    f"watched phrase {n}" for n in range(300)
]
SITES = ["redbridge.example", "bbc.co.uk"]
TARGET_MS = 50


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redbridge_portal.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    django.setup()
    from policy.prescreen import prescreen

    text = (SENTENCE * (5000 // len(SENTENCE) + 1))[:5000]
    prescreen(text, terms=TERMS, usual_sites=SITES)  # compiled once, as in a warm worker
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        findings = prescreen(text, terms=TERMS, usual_sites=SITES)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(
        f"Pre-screen of a 5,000-character draft against {len(TERMS)} watched terms: "
        f"median {median:.1f} ms, max {max(timings):.1f} ms over {len(timings)} runs, "
        f"{len(findings)} findings (target: under {TARGET_MS} ms)."
    )


if __name__ == "__main__":
    main()
