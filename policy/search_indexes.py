"""The full-text search indexes (PostgreSQL only).

They are not declared in the models' Meta: on SQLite, which has no `to_tsvector`, Django would
put them into every rebuilt table. Migration 0003 creates them on PostgreSQL only, with the
same expressions the search in `policy.search` filters on, so the planner uses them.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector

SEARCH_CONFIG = "english"

# model name -> index
SEARCH_INDEXES = {
    "clause": GinIndex(SearchVector("text", config=SEARCH_CONFIG), name="policy_clause_search"),
    "listitem": GinIndex(SearchVector("text", config=SEARCH_CONFIG), name="policy_listitem_search"),
    "principle": GinIndex(
        SearchVector("text", config=SEARCH_CONFIG), name="policy_principle_search"
    ),
    "guideline": GinIndex(
        SearchVector("title", "body", config=SEARCH_CONFIG), name="policy_guideline_search"
    ),
}


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in SEARCH_INDEXES.items():
        schema_editor.add_index(apps.get_model("policy", model_name), index)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in SEARCH_INDEXES.items():
        schema_editor.remove_index(apps.get_model("policy", model_name), index)
