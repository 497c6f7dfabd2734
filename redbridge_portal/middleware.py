from contextvars import ContextVar

# The address of the request being served, so audit rows can say where an action came from
# without every service taking the request as an argument.
current_ip_address: ContextVar[str | None] = ContextVar("current_ip_address", default=None)


def client_ip(request) -> str | None:
    """The client's address. Behind a proxy (settings.PROXY_COUNT > 0), the address that many
    hops back in X-Forwarded-For; otherwise REMOTE_ADDR, which cannot be forged."""
    from django.conf import settings

    hops = getattr(settings, "PROXY_COUNT", 0)
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip_address.reset(token)
