"""The home page, what needs the signed-in person now, and the accessibility statement."""

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView


class HomeView(TemplateView):
    """What needs the signed-in person now: each app contributes a panel (a selector for the
    data, an include for the markup), each with a fixed, small number of queries."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        from approvals.selectors import home_panel_context as approvals_panel
        from concerns.selectors import home_panel_context as concerns_panel
        from policy.questions import home_panel_context as questions_panel
        from policy.selectors import home_panel_context as policy_panel

        user = self.request.user
        context = super().get_context_data(**kwargs)
        for panel in (policy_panel, approvals_panel, concerns_panel, questions_panel):
            context.update(panel(user))
        context["guidance_is_policy_admin"] = context["policy_can_manage"]
        context["guidance_now"] = timezone.now()
        return context


@method_decorator(login_not_required, name="dispatch")
class AccessibilityStatementView(TemplateView):
    template_name = "accessibility.html"
