"""Walk the URLconf so that tests cover every page, including pages added later."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_VALUES = {
    "int": "1",
    "str": "sample",
    "slug": "sample",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "sample/path",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route text when the pattern has no name
    route: str  # the pattern as written, e.g. "posts/<int:pk>/"

    def sample_url(self, **values) -> str:
        """The route with each converter replaced by `values[name]` or a sample value."""

        def fill(match):
            converter, name = match.group(1) or "str", match.group(2)
            return str(values.get(name, SAMPLE_VALUES.get(converter, "1")))

        url = re.sub(r"<(?:(\w+):)?(\w+)>", fill, self.route)
        return "/" + url


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith("^") or "(?P" in route:
                continue  # regex patterns (the admin's catch-all, static): not pages of ours
            name = f"{namespace}{entry.name}" if entry.name else route
            yield Route(name=name, route=route)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))
