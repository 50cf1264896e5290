"""Text searches that PostgreSQL answers from trigram indexes: the need search (title, description, tags) and
the catalogue's search_text. The results must be the same as before on every database; on PostgreSQL the
indexes must exist after migrate and fit the SQL that Django writes for these searches."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.migrations.state import ProjectState
from django.db.models import Exists, OuterRef, Q

from kompetansebro.competences.models import Tag
from kompetansebro.core.expressions import InSubquery
from kompetansebro.core.migration_operations import AddTrigramIndex, CreateExtension
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.needs.selectors import need_search
from kompetansebro.offerings.models import Offering
from kompetansebro.offerings.search import offering_text_filter
from tests.factories import NeedFactory, OfferingFactory

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL only")

INDEXES = {
    "need_title_trgm": ("needs_competenceneed", "gin (upper((title)::text) gin_trgm_ops)"),
    "need_description_trgm": ("needs_competenceneed", "gin (upper(description) gin_trgm_ops)"),
    "offering_search_text_trgm": ("offerings_offering", "gin (search_text gin_trgm_ops)"),
}


def searched_before(user, query):
    """The need search's text condition as it was written before the indexes (EXISTS in the OR)."""
    tagged = CompetenceNeed.tags.through.objects.filter(competenceneed_id=OuterRef("pk"), tag__name__icontains=query)
    needs = need_search(user=user, filters={})
    return needs.filter(Q(title__icontains=query) | Q(description__icontains=query) | Exists(tagged))


@pytest.fixture
def needs(world):
    def need(title, description="Vi har ansatte som trenger kurs.", tags=(), **extra):
        extra.setdefault("organisation", world.holtalen)
        created = NeedFactory(title=title, description=description, **extra)
        for name in tags:
            created.tags.add(Tag.objects.get_or_create(name=name)[0])
        return created

    return {
        "title": need("Demensomsorg for helsefagarbeidere"),
        "description": need("Kurs i omsorg", "Vi trenger kompetanse i DEMENS og palliasjon."),
        "tag": need("Kveldskurs", tags=["demensomsorg", "kveld"]),
        "everywhere": need("Demens", "Demens, demens.", tags=["demens"]),
        "two_tags": need("Fagbrev", tags=["demensteam", "demensomsorg"]),
        "other": need("Sveising", "Sveisere med sertifikat.", tags=["sveis"]),
        "norwegian": need("Økonomi og årsregnskap", "Rådgivning for små bedrifter på Røros.", tags=["økonomi"]),
        "wildcards": need("100% stilling", "Kurs i snake_case og 50 %-stillinger."),
        "hidden": need("Demens i Oslo", organisation=world.oslo_company, visibility="organisation"),
    }


@pytest.mark.parametrize(
    "query",
    [
        "demens",
        "DEMENS",
        "Demens",
        "dEmEnS",
        "mens",  # inside a word
        "demensomsorg",  # a whole tag
        "omsorg for",  # across words
        "kveld",  # only a tag and the title
        "sveis",
        "økonomi",
        "ØKONOMI",
        "røros",
        "år",
        "%",
        "_",
        "0%",
        "e_c",
        "xyzzy",
        "d",
    ],
)
@pytest.mark.parametrize("persona", ["platform_admin", "secretariat_sor", "anonymous"])
def test_need_search_finds_the_same_needs_as_before(world, needs, query, persona):
    user = AnonymousUser() if persona == "anonymous" else world.users[persona]
    found = need_search(user=user, filters={"q": query})
    assert list(found) == list(searched_before(user, query))
    assert found.count() == len(found)  # no duplicates, e.g. for a need with two matching tags


def test_need_search_substring_case_insensitive_in_title_description_and_tags(world, needs):
    admin = world.users["platform_admin"]

    def found(query, **filters):
        return {need.pk for need in need_search(user=admin, filters={"q": query, **filters})}

    demens = {needs[key].pk for key in ["title", "description", "tag", "everywhere", "two_tags", "hidden"]}
    assert found("demens") == found("DEMENS") == found("  Demens ") == demens
    assert found("kveld") == {needs["tag"].pk}
    assert found("sveis") == {needs["other"].pk}
    assert found("0%") == found("100%") == {needs["wildcards"].pk}  # % and _ are plain characters
    assert found("e_c") == {needs["wildcards"].pk}
    assert found("xyzzy") == set()
    assert found("demens", status=["registered"]) == demens
    assert found("demens", status=["qualified"]) == set()
    hidden_from_secretariat = need_search(user=world.users["secretariat_sor"], filters={"q": "demens"})
    assert needs["hidden"] not in hidden_from_secretariat and needs["title"] in hidden_from_secretariat


def test_in_subquery_matches_pk_in_and_its_negation(world, needs):
    tagged = CompetenceNeed.tags.through.objects.filter(tag__name__startswith="demens").values("competenceneed_id")
    inside = CompetenceNeed.objects.filter(InSubquery("pk", tagged))
    assert (
        set(inside)
        == set(CompetenceNeed.objects.filter(pk__in=tagged))
        == {
            needs["tag"],
            needs["everywhere"],
            needs["two_tags"],
        }
    )
    assert set(CompetenceNeed.objects.filter(~Q(InSubquery("pk", tagged)))) == set(
        CompetenceNeed.objects.exclude(pk__in=tagged)
    )
    # Usable inside a queryset that is itself a subquery (its aliases are relabelled).
    outer = CompetenceNeed.objects.filter(pk__in=CompetenceNeed.objects.filter(InSubquery("pk", tagged)).values("pk"))
    assert set(outer) == set(inside)


def test_offering_text_search_unchanged(world):
    wanted = OfferingFactory(title="Demensomsorg for helsefagarbeidere", provider=world.ntnu)
    OfferingFactory(title="Ledelse i barnehagen", provider=world.ntnu)
    found = offering_text_filter(Offering.objects.all(), "helsefagarbeider demens")
    assert list(found) == [wanted]


@postgresql_only
@pytest.mark.django_db
def test_trigram_indexes_exist_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES)]
        )
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
    assert set(found) == set(INDEXES)
    for name, (table, definition) in INDEXES.items():
        assert found[name][0] == table
        assert found[name][1].endswith(f"USING {definition}"), found[name][1]


def explain_without_scans(queryset) -> str:
    """The plan PostgreSQL makes when it may not read the table or walk an index: a plan from the trigram
    indexes exists only if they fit the SQL exactly (else it falls back to a disabled sequential scan)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    return plan


@postgresql_only
def test_need_search_can_be_answered_from_the_indexes(world, needs):
    found = need_search(user=world.users["platform_admin"], filters={"q": "demens"}).order_by()
    plan = explain_without_scans(found.select_related(None).values("pk"))
    assert "Seq Scan on needs_competenceneed " not in plan, plan
    assert "BitmapOr" in plan, plan
    for index in ["need_title_trgm", "need_description_trgm"]:
        assert f"Bitmap Index Scan on {index}" in plan, plan
    # The tagged ids come from an index on id: the primary key, or the newest-first index, which ends with id
    # (the planner picks either by its statistics).
    assert (
        "Bitmap Index Scan on needs_competenceneed_pkey" in plan or "Bitmap Index Scan on need_newest_first" in plan
    ), plan


@postgresql_only
def test_catalogue_search_can_be_answered_from_the_index(world):
    OfferingFactory(title="Demensomsorg for helsefagarbeidere", provider=world.ntnu)
    for query in ["helsefagarbeider", "demens", "it"]:  # long stem; short stem or word; short stem only
        plan = explain_without_scans(offering_text_filter(Offering.objects.values("pk"), query))
        assert "Seq Scan on offerings_offering" not in plan, plan
        assert "Bitmap Index Scan on offering_search_text_trgm" in plan, plan


class RecordingEditor:
    """Stands in for a schema editor: records the SQL instead of running it, for a database of any vendor."""

    def __init__(self, vendor):
        self.connection = SimpleNamespace(vendor=vendor)
        self.executed = []

    def execute(self, sql, params=()):
        self.executed.append(sql)

    def quote_name(self, name):
        return connection.ops.quote_name(name)


def run_operations(operations, editor, *, backwards=False):
    state = ProjectState.from_apps(apps)
    for operation in reversed(operations) if backwards else operations:
        method = operation.database_backwards if backwards else operation.database_forwards
        method("needs", editor, state, state)


TEST_INDEX = AddTrigramIndex(model_name="competenceneed", field="title", name="need_title_test_trgm")
TEST_INDEX_UPPER = AddTrigramIndex(
    model_name="competenceneed", field="description", name="need_description_test_trgm", case_insensitive=True
)


@pytest.mark.parametrize("vendor", ["sqlite", "mysql"])
def test_operations_do_nothing_except_on_postgresql(vendor):
    editor = RecordingEditor(vendor)
    run_operations([CreateExtension("pg_trgm"), TEST_INDEX, TEST_INDEX_UPPER], editor)
    run_operations([CreateExtension("pg_trgm"), TEST_INDEX, TEST_INDEX_UPPER], editor, backwards=True)
    assert editor.executed == []


def test_operations_sql_on_postgresql():
    editor = RecordingEditor("postgresql")
    run_operations([CreateExtension("pg_trgm"), TEST_INDEX, TEST_INDEX_UPPER], editor)
    assert editor.executed == [
        'CREATE EXTENSION IF NOT EXISTS "pg_trgm"',
        'CREATE INDEX "need_title_test_trgm" ON "needs_competenceneed" USING gin ("title" gin_trgm_ops)',
        'CREATE INDEX "need_description_test_trgm" ON "needs_competenceneed" '
        'USING gin (UPPER("description"::text) gin_trgm_ops)',
        'ANALYZE "needs_competenceneed"',
    ]
    editor.executed.clear()
    run_operations([CreateExtension("pg_trgm"), TEST_INDEX, TEST_INDEX_UPPER], editor, backwards=True)
    assert editor.executed == [
        'DROP INDEX IF EXISTS "need_description_test_trgm"',
        'DROP INDEX IF EXISTS "need_title_test_trgm"',
    ]  # the extension stays: other apps' indexes use it


@postgresql_only
def test_trigram_index_operation_forwards_and_backwards(db):
    case_insensitive = AddTrigramIndex(
        model_name="competenceneed", field="title", name="need_title_test_trgm", case_insensitive=True
    )

    def definition():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'need_title_test_trgm'")
            row = cursor.fetchone()
        return row and row[0]

    with connection.schema_editor() as editor:
        run_operations([case_insensitive], editor)
    assert definition().endswith("USING gin (upper((title)::text) gin_trgm_ops)")
    with connection.schema_editor() as editor:
        run_operations([case_insensitive], editor, backwards=True)
    assert definition() is None


def test_operations_deconstruct():
    assert CreateExtension("pg_trgm").deconstruct() == ("CreateExtension", ["pg_trgm"], {})
    assert AddTrigramIndex(
        model_name="competenceneed", field="title", name="need_title_trgm", case_insensitive=True
    ).deconstruct() == (
        "AddTrigramIndex",
        [],
        {"model_name": "competenceneed", "field": "title", "name": "need_title_trgm", "case_insensitive": True},
    )
