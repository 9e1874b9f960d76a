"""The full-text index behind search, in whichever engine the database has.

SQLite: a contentless FTS5 table (the index only; the text stays in analysis_source, whose id
is its rowid), kept in step by triggers. PostgreSQL: a GIN index on the text's tsvector, which
PostgreSQL keeps in step itself. Any other database gets neither, and search is not offered.

The SQL is written out here, not imported, so this migration stays as it ran.
"""

from typing import Any

from django.db import migrations

SQLITE = [
    # Contentless: the text stays in analysis_source only. `scope` holds the source's project,
    # import and kind as words, so a search of one project's released sources is answered by
    # the index alone.
    """CREATE VIRTUAL TABLE analysis_source_fts USING fts5(
        text, scope, content='', tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS analysis_source_fts_insert AFTER INSERT ON analysis_source
        BEGIN
            INSERT INTO analysis_source_fts(rowid, text, scope) VALUES (new.id, new.text,
                'p' || new.project_id || ' i' || new.source_import_id || ' k' || new.kind);
        END""",
    """CREATE TRIGGER IF NOT EXISTS analysis_source_fts_delete AFTER DELETE ON analysis_source
        BEGIN
            INSERT INTO analysis_source_fts(analysis_source_fts, rowid, text, scope)
            VALUES ('delete', old.id, old.text,
                'p' || old.project_id || ' i' || old.source_import_id || ' k' || old.kind);
        END""",
    """CREATE TRIGGER IF NOT EXISTS analysis_source_fts_update
        AFTER UPDATE OF text, project_id, source_import_id, kind ON analysis_source
        WHEN old.text IS NOT new.text OR old.project_id IS NOT new.project_id
            OR old.source_import_id IS NOT new.source_import_id OR old.kind IS NOT new.kind
        BEGIN
            INSERT INTO analysis_source_fts(analysis_source_fts, rowid, text, scope)
            VALUES ('delete', old.id, old.text,
                'p' || old.project_id || ' i' || old.source_import_id || ' k' || old.kind);
            INSERT INTO analysis_source_fts(rowid, text, scope) VALUES (new.id, new.text,
                'p' || new.project_id || ' i' || new.source_import_id || ' k' || new.kind);
        END""",
    # Index the sources already there.
    """INSERT INTO analysis_source_fts(rowid, text, scope) SELECT id, text,
        'p' || project_id || ' i' || source_import_id || ' k' || kind FROM analysis_source""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS analysis_source_fts_update",
    "DROP TRIGGER IF EXISTS analysis_source_fts_delete",
    "DROP TRIGGER IF EXISTS analysis_source_fts_insert",
    "DROP TABLE IF EXISTS analysis_source_fts",
]

POSTGRESQL = [
    "CREATE INDEX analysis_source_text_search ON analysis_source "
    "USING gin (to_tsvector('english'::regconfig, text))"
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS analysis_source_text_search"]


class RunSQLOn(migrations.RunSQL):
    """RunSQL that runs only on one kind of database."""

    def __init__(self, vendor: str, sql: list[str], reverse_sql: list[str]) -> None:
        super().__init__(tuple(sql), tuple(reverse_sql))
        self.vendor = vendor

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, *args)

    def describe(self) -> str:
        return f"Raw SQL on {self.vendor} only"


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_initial")]

    operations = [
        RunSQLOn("sqlite", SQLITE, SQLITE_REVERSE),
        RunSQLOn("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
