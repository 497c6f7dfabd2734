"""What each platform counts and requires, as the platform itself does it.

- X wraps every web address in a post (in the text, and the link added after it) in a short
  t.co link that counts as 23 characters, however long the address is.
- Instagram posts are pictures: a post without an image cannot go out.
- A published post's web address must be on the platform of the account it went out on.

The page's live counter (static/js/approvals.js) follows the same counting rule.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from approvals.models import Platform

# X counts any web address as this many characters (its t.co link length).
X_LINK_LENGTH = 23

# Web addresses as X recognises them in text: a scheme, or "www.", then anything up to a space.
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# The hosts a live post on each platform can be seen at (and their subdomains).
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    Platform.X: ("x.com", "twitter.com"),
    Platform.FACEBOOK: ("facebook.com", "fb.com", "fb.watch"),
    Platform.INSTAGRAM: ("instagram.com",),
    Platform.LINKEDIN: ("linkedin.com", "lnkd.in"),
}

PLATFORMS_NEEDING_AN_IMAGE = frozenset({Platform.INSTAGRAM})


def published_length(text: str, link: str = "", *, platform: str = "") -> int:
    """How many characters the post takes on `platform`: the text, then the link after a
    space. On X each web address counts as 23 characters."""
    text = (text or "").replace("\r\n", "\n").strip()
    link = (link or "").strip()
    if platform == Platform.X:
        length = len(_URL_IN_TEXT.sub("x" * X_LINK_LENGTH, text))
        return length + (X_LINK_LENGTH + 1 if link else 0)
    return len(text) + (len(link) + 1 if link else 0)


def needs_an_image(platform: str) -> bool:
    return platform in PLATFORMS_NEEDING_AN_IMAGE


def image_required_message(account_name: str) -> str:
    return str(
        _("%(account)s is an Instagram account: add at least one image before you send the post.")
        % {"account": account_name}
    )


def address_belongs_to(platform: str, url: str) -> bool:
    """Whether `url` is on `platform`'s website. Any address is accepted for "Other"."""
    hosts = PLATFORM_HOSTS.get(platform)
    if not hosts:
        return True
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


def wrong_platform_message(platform_label: str, url: str) -> str:
    host = urlsplit(url).hostname or url
    return str(
        _("%(host)s is not on %(platform)s. Copy the address of the live post from %(platform)s.")
        % {"host": host, "platform": platform_label}
    )
