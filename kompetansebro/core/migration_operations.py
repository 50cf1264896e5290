"""Migration operations for what only PostgreSQL has: extensions and trigram indexes.

They run only on PostgreSQL (the production database) and do nothing on other databases, so that the same
migrations serve SQLite in development and tests, which does without these indexes. They change no model
state: `makemigrations` neither sees nor repeats them.
"""

from django.db.migrations.operations.base import Operation


def _on_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class CreateExtension(Operation):
    """`CREATE EXTENSION IF NOT EXISTS name` on PostgreSQL.

    Migrating backwards leaves the extension in place: it may have been there before, and other apps'
    indexes may use it (DROP EXTENSION would fail or take them with it). The database owner may create
    the trusted extensions (pg_trgm among them) since PostgreSQL 13; see docs/operations.md."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, name: str):
        self.name = name

    def deconstruct(self):
        return self.__class__.__qualname__, [self.name], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {schema_editor.quote_name(self.name)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Create extension {self.name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return f"create_extension_{self.name}"


class AddTrigramIndex(Operation):
    """A GIN trigram index (pg_trgm's gin_trgm_ops) on one field, on PostgreSQL: it serves `LIKE '%…%'`.

    `case_insensitive=False` indexes the column itself, for `contains`. `case_insensitive=True` indexes
    `UPPER("column"::text)`, exactly what Django's `icontains` compares on PostgreSQL
    (`UPPER("column"::text) LIKE UPPER('%…%')`): the planner uses an expression index only for the very
    same expression. The table is analysed afterwards, because the planner's estimates for an expression
    come from statistics that only ANALYZE gathers; without them it misjudges frequent words.

    Needs `CreateExtension("pg_trgm")` before it. Backwards drops the index."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, field: str, name: str, case_insensitive: bool = False):
        self.model_name = model_name
        self.field = field
        self.name = name
        self.case_insensitive = case_insensitive

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "field": self.field, "name": self.name}
        if self.case_insensitive:
            kwargs["case_insensitive"] = True
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _on_postgresql(schema_editor):
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        column = quote(model._meta.get_field(self.field).column)
        expression = f"UPPER({column}::text)" if self.case_insensitive else column
        table = quote(model._meta.db_table)
        schema_editor.execute(f"CREATE INDEX {quote(self.name)} ON {table} USING gin ({expression} gin_trgm_ops)")
        if self.case_insensitive:
            schema_editor.execute(f"ANALYZE {table}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        what = f"UPPER({self.field})" if self.case_insensitive else self.field
        return f"Create trigram index {self.name} on {self.model_name} {what} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name.lower()
