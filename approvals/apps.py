from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Post approvals")

    def ready(self):
        # Cache invalidation only, as django.contrib.sites clears its cache when a site is
        # saved: the filters' cached options must follow accounts and campaigns. (They no
        # longer list staff: the queue's author filter is typed, not chosen.)
        from django.db.models.signals import post_delete, post_save

        from approvals.models import Account, Campaign
        from approvals.selectors import forget_filter_options

        for model in (Account, Campaign):
            uid = f"approvals-filter-options-{model._meta.label_lower}"
            post_save.connect(forget_filter_options, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(forget_filter_options, sender=model, dispatch_uid=f"{uid}-del")
