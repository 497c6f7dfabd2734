"""The admin manages the school's accounts. Posts, campaigns and their history are shown read
only: statuses change only through `approvals.services` (the portal's own pages)."""

from django.contrib import admin

from approvals.models import Account, Campaign, Comment, Decision, Post, PostMedia, PostRevision
from redbridge_portal.admin import ReadOnlyAdmin


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "handle", "text_limit", "is_active"]
    list_filter = ["platform", "is_active"]
    search_fields = ["name", "handle"]

    def has_delete_permission(self, request, obj=None):
        # Posts keep pointing at their account; take an account out of use instead.
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["pk", "account", "author", "status", "submitted_at", "published_at"]
    list_filter = ["status", "account"]
    search_fields = ["text", "author__email", "author__last_name"]
    list_select_related = ["account", "author"]
    date_hierarchy = "created_at"
    raw_id_fields = ["author", "current_revision", "last_decision", "copied_from", "published_by"]


@admin.register(PostRevision)
class PostRevisionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "number", "submitted_by", "created_at"]
    list_select_related = ["post__account", "submitted_by"]
    raw_id_fields = ["post"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "revision", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["post__account", "revision", "decided_by"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "author", "created_at"]
    list_select_related = ["post__account", "author"]


@admin.register(PostMedia)
class PostMediaAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "alt_text", "source", "content_type", "uploaded_at", "removed_at"]
    list_select_related = ["post__account"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "proposer", "status", "starts_on", "ends_on", "decided_by"]
    list_filter = ["status"]
    search_fields = ["title", "aim"]
    list_select_related = ["proposer", "decided_by"]
