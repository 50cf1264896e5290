import shutil

import pytest
from django.core.management import CommandError, call_command

from kompetansebro.geography.models import County, Municipality, Region
from kompetansebro.geography.reference import DATA_DIR, ReferenceDataError, reference_load


@pytest.fixture
def data_copy(tmp_path):
    for name in ["municipalities_2024.csv", "regions.csv"]:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


@pytest.mark.django_db
def test_loads_all_municipalities_and_is_idempotent(data_copy):
    Municipality.objects.all().delete()
    Region.objects.all().delete()
    first = reference_load(data_dir=data_copy)
    assert first.municipalities_created == 357
    assert County.objects.count() == 15
    second = reference_load(data_dir=data_copy)
    assert (
        second.municipalities_created,
        second.municipalities_updated,
        second.regions_created,
        second.regions_updated,
    ) == (0, 0, 0, 0)
    holtalen = Municipality.objects.get(number="5026")
    assert holtalen.county.name == "Trøndelag"
    assert holtalen.centrality_class == 6
    sor = Region.objects.get(code="trondelag-sor")
    assert sorted(sor.municipalities.values_list("number", flat=True)) == [
        "5021",
        "5022",
        "5025",
        "5026",
        "5027",
        "5028",
    ]
    county = Region.objects.get(kind="county", county__number="50")
    assert county.municipalities.count() == Municipality.objects.filter(county__number="50").count()


@pytest.mark.django_db
def test_changed_population_is_updated(data_copy, reference_data):
    path = data_copy / "municipalities_2024.csv"
    text = path.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("5026,"))
    fields = line.split(",")
    fields[6] = "9999"
    path.write_text(text.replace(line, ",".join(fields)), encoding="utf-8")
    result = reference_load(data_dir=data_copy)
    assert result.municipalities_updated == 1
    assert Municipality.objects.get(number="5026").population == 9999


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("5999,Nowhere,59,Nowhere,7,500,100,2026", "centrality_class"),
        ("599,Short,59,Nowhere,5,500,100,2026", "four digits"),
        ("5999,Wrong county,11,Rogaland,5,500,100,2026", "first two digits"),
        ("5999,Too few columns,59", "columns"),
        ("5026,Holtålen again,50,Trøndelag,6,500,100,2026", "twice"),
    ],
)
def test_malformed_file_is_rejected_with_line_number_and_nothing_changes(data_copy, reference_data, bad_line, message):
    path = data_copy / "municipalities_2024.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(bad_line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = Municipality.objects.count()
    with pytest.raises(ReferenceDataError) as raised:
        reference_load(data_dir=data_copy)
    assert raised.value.line == len(lines)
    assert message in str(raised.value)
    assert Municipality.objects.count() == before


@pytest.mark.django_db
def test_region_with_unknown_member_is_rejected(data_copy):
    path = data_copy / "regions.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + 'fosen,Fosen,interkommunalt_politisk_rad,50,5054;9999,"x"\n',
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="line 3: unknown"):
        reference_load(data_dir=data_copy)


@pytest.mark.django_db
def test_command_reports_errors_as_command_errors(data_copy):
    (data_copy / "regions.csv").write_text("nonsense\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("load_reference", data_dir=data_copy)


@pytest.mark.django_db
def test_county_region_keeps_its_identity_when_its_code_changes(data_copy, reference_data):
    county_region = Region.objects.get(kind="county", county__number="50")
    county_region.code = "old-code-for-trondelag"
    county_region.save()
    reference_load(data_dir=data_copy)
    assert Region.objects.filter(kind="county", county__number="50").count() == 1
    county_region.refresh_from_db()
    assert county_region.code == "fylke-50-trondelag"
