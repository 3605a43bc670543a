"""Searching the decision register by words reads an index, not every decision.

`icontains` is `UPPER(text) LIKE UPPER('%word%')`, which no b-tree index serves; a trigram
index on the same expression does (PostgreSQL's pg_trgm, shipped with PostgreSQL). SQLite,
for `make run` on a laptop, has no such index and needs none at the demo's size.
"""

from django.db import migrations

INDEXES = [
    ("meetings_decision_text_trgm", "text"),
    ("meetings_decision_rationale_trgm", "rationale"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "meetings_decision" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_practice_policy_cycle")]

    operations = [migrations.RunPython(create, drop)]
