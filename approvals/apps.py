from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Post approvals")

    def ready(self):
        # Cache invalidation only, as django.contrib.sites clears its cache when a site is
        # saved: the filters' cached options must follow accounts, campaigns and staff.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from approvals.models import Account, Campaign
        from approvals.selectors import forget_filter_options

        user_model = get_user_model()
        for model in (Account, Campaign, user_model):
            uid = f"approvals-filter-options-{model._meta.label_lower}"
            post_save.connect(forget_filter_options, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(forget_filter_options, sender=model, dispatch_uid=f"{uid}-del")
        m2m_changed.connect(
            forget_filter_options,
            sender=user_model.groups.through,
            dispatch_uid="approvals-filter-options-roles",
        )
