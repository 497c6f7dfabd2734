"""What a page requires of the person asking, for class-based views: the answer comes from one
rule in redbridge_portal.roles, so a page and its service cannot disagree."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class RoleRequiredMixin:
    """Signed-in people for whom `allowed(user)` is false get 403 (recorded in the audit log
    by the portal's 403 handler), with `refused` as the reason if given. Set
    `allowed = staticmethod(roles.can_...)`."""

    allowed = None
    refused = ""

    def dispatch(self, request, *args, **kwargs):
        if not type(self).allowed(request.user):
            raise PermissionDenied(self.refused)
        return super().dispatch(request, *args, **kwargs)
