# Trigram index for the catalogue's text search (search.offering_text_filter): search_text `contains`.
# PostgreSQL only.

from django.db import migrations

from kompetansebro.core.migration_operations import AddTrigramIndex, CreateExtension


class Migration(migrations.Migration):
    dependencies = [
        ("offerings", "0003_catalogue_status_rank"),
    ]

    operations = [
        CreateExtension("pg_trgm"),
        AddTrigramIndex(model_name="offering", field="search_text", name="offering_search_text_trgm"),
    ]
