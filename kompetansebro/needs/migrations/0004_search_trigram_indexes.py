# Trigram indexes for the need search (selectors.need_search): title and description `icontains`. PostgreSQL only.

from django.db import migrations

from kompetansebro.core.migration_operations import AddTrigramIndex, CreateExtension


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0003_need_newest_first_index"),
    ]

    operations = [
        CreateExtension("pg_trgm"),
        AddTrigramIndex(model_name="competenceneed", field="title", name="need_title_trgm", case_insensitive=True),
        AddTrigramIndex(
            model_name="competenceneed", field="description", name="need_description_trgm", case_insensitive=True
        ),
    ]
