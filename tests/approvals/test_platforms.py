"""Platform rules as the platforms count them."""

import pytest

from approvals.models import Platform
from approvals.platforms import X_LINK_LENGTH, address_belongs_to, published_length

LONG_LINK = "https://www.redbridge.example.org.uk/news/2026/" + "a" * 120


def test_x_counts_the_added_link_as_23_characters():
    text = "a" * 250
    assert published_length(text, LONG_LINK, platform=Platform.X) == 250 + 1 + X_LINK_LENGTH
    # Elsewhere the address counts in full.
    assert published_length(text, LONG_LINK, platform=Platform.FACEBOOK) == 251 + len(LONG_LINK)


def test_x_counts_each_address_in_the_text_as_23_characters():
    text = f"Read this {LONG_LINK} and www.example.org/{'b' * 60} today"
    expected = len("Read this ") + 23 + len(" and ") + 23 + len(" today")
    assert published_length(text, platform=Platform.X) == expected


def test_line_endings_and_outer_spaces_do_not_count():
    assert published_length("  a\r\nb  ", platform=Platform.X) == 3


@pytest.mark.parametrize(
    ("platform", "url", "belongs"),
    [
        (Platform.X, "https://x.com/RedbridgeCS/status/1", True),
        (Platform.X, "https://twitter.com/RedbridgeCS/status/1", True),
        (Platform.X, "https://mobile.twitter.com/RedbridgeCS/status/1", True),
        (Platform.X, "https://www.facebook.com/redbridge/posts/1", False),
        (Platform.X, "https://x.com.evil.example/status/1", False),
        (Platform.FACEBOOK, "https://www.facebook.com/redbridge/posts/1", True),
        (Platform.FACEBOOK, "https://x.com/RedbridgeCS/status/1", False),
        (Platform.INSTAGRAM, "https://www.instagram.com/p/abc/", True),
        (Platform.LINKEDIN, "https://www.linkedin.com/posts/redbridge-1", True),
        (Platform.OTHER, "https://school-blog.example/post/1", True),
    ],
)
def test_a_published_address_must_be_on_the_accounts_platform(platform, url, belongs):
    assert address_belongs_to(platform, url) is belongs
