"""The codebook's services: changing the tree without losing coded text, presets, and codebooks
in and out as CSV and REFI-QDA."""

import codecs
import csv
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Tenant
from coproduce.analysis import refiqda
from coproduce.analysis.models import (
    Code,
    Decision,
    Layer,
    Memo,
    Project,
    Segment,
    TeamMember,
    TeamRole,
    Theme,
)
from coproduce.analysis.presets import OWN_WORDS, PRESETS
from coproduce.analysis.services import codebook, coding
from coproduce.analysis.services.codebook import SplitPart
from coproduce.analysis.transcripts import ImportRefused
from coproduce.core.audit import AuditEvent
from coproduce.core.errors import ServiceError
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def lead(tenant: Tenant):
    return tenant.users[Role.ANALYST]


def coder(tenant: Tenant):
    return tenant.users[Role.STAFF]


def add(tenant: Tenant, name: str, parent: Code | None = None, **fields: str) -> Code:
    return codebook.add_code(
        by=lead(tenant), project=tenant.analysis.project, name=name, parent=parent, **fields
    )


def fresh_project(tenant: Tenant, name: str = "Another project") -> Project:
    project = Project.objects.create(organisation=tenant.organisation, name=name)
    TeamMember.objects.create(project=project, user=lead(tenant), role=TeamRole.LEAD)
    return project


def coded(code: Code) -> set[tuple[int, int, int, int | None, str]]:
    return set(
        Segment.objects.filter(code=code).values_list(
            "source_id", "start", "end", "coder_id", "layer"
        )
    )


# Adding and changing codes


def test_a_new_code_goes_under_its_parent_and_is_audited(tenant: Tenant) -> None:
    staff = add(tenant, "Staff", colour="#AE2573")
    manner = add(tenant, "Manner", parent=staff, description="How staff come across")
    assert manner.parent == staff
    assert staff.colour == "#ae2573"
    assert manner.guid
    assert AuditEvent.objects.filter(
        action="analysis.code_added", target_id=str(manner.pk)
    ).exists()


def test_two_codes_in_use_under_one_parent_cannot_share_a_name(tenant: Tenant) -> None:
    staff = add(tenant, "Staff")
    add(tenant, "Manner", parent=staff)
    with pytest.raises(ServiceError, match="already a code called Manner inside Staff"):
        add(tenant, "manner", parent=staff)
    assert add(tenant, "Manner").parent is None  # the same name elsewhere is fine


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Enter a name"),
        ({"name": "Access > Parking"}, 'cannot contain " > "'),
        ({"name": "x" * 201}, "200 characters or fewer"),
        ({"name": "Parking", "colour": "red"}, "six hexadecimal digits"),
        ({"name": "Parking", "colour": "#12345"}, "six hexadecimal digits"),
        ({"name": "Parking", "examples": "x" * 4001}, "4,000 characters"),
    ],
)
def test_bad_definitions_are_refused_with_a_reason(
    tenant: Tenant, fields: dict[str, Any], message: str
) -> None:
    before = Code.objects.count()
    with pytest.raises(ServiceError, match=message):
        codebook.add_code(by=lead(tenant), project=tenant.analysis.project, **fields)
    assert Code.objects.count() == before


def test_only_the_lead_changes_the_codebook(tenant: Tenant) -> None:
    project = tenant.analysis.project
    for user in (coder(tenant), tenant.users[Role.INVOLVEMENT_LEAD]):
        with pytest.raises(ServiceError) as refused:
            codebook.add_code(by=user, project=project, name="Sneaky")
        assert refused.value.status == 403
        with pytest.raises(ServiceError):
            codebook.retire_code(by=user, code=tenant.analysis.code)
    assert not Code.objects.filter(name="Sneaky").exists()


def test_changing_a_code_keeps_what_was_not_given(tenant: Tenant) -> None:
    code = add(tenant, "Parking", description="Spaces and cost", colour="#007f3b")
    codebook.change_code(by=lead(tenant), code=code, name="Car parking", inclusion="Any car park")
    code.refresh_from_db()
    assert (code.name, code.description, code.inclusion, code.colour) == (
        "Car parking",
        "Spaces and cost",
        "Any car park",
        "#007f3b",
    )
    event = AuditEvent.objects.get(action="analysis.code_changed")
    assert event.changed_fields == ["inclusion", "name"]
    add(tenant, "Transport")
    with pytest.raises(ServiceError, match="already a code called Transport"):
        codebook.change_code(by=lead(tenant), code=code, name="transport ")


# Moving and ordering


def test_a_code_moves_with_the_codes_inside_it(tenant: Tenant) -> None:
    access = add(tenant, "Access")
    travel = add(tenant, "Travel")
    parking = add(tenant, "Parking", parent=travel)
    codebook.move_code(by=lead(tenant), code=travel, parent=access)
    travel.refresh_from_db()
    parking.refresh_from_db()
    assert travel.parent == access
    assert parking.parent == travel
    assert codebook.paths(tenant.analysis.project)[parking.pk] == "Access > Travel > Parking"
    codebook.move_code(by=lead(tenant), code=travel, parent=None)
    travel.refresh_from_db()
    assert travel.parent is None


def test_a_code_cannot_be_moved_inside_itself_or_its_own_sub_codes(tenant: Tenant) -> None:
    access = add(tenant, "Access")
    travel = add(tenant, "Travel", parent=access)
    parking = add(tenant, "Parking", parent=travel)
    for inside in (access, travel, parking):
        with pytest.raises(ServiceError, match="cannot go inside itself"):
            codebook.move_code(by=lead(tenant), code=access, parent=inside)
    access.refresh_from_db()
    assert access.parent is None


def test_a_code_cannot_be_moved_into_a_retired_code(tenant: Tenant) -> None:
    old = add(tenant, "Old")
    codebook.retire_code(by=lead(tenant), code=old)
    with pytest.raises(ServiceError, match="Old is retired"):
        codebook.move_code(by=lead(tenant), code=tenant.analysis.code, parent=old)


def test_codes_are_put_in_the_order_given(tenant: Tenant) -> None:
    project = tenant.analysis.project
    first, second = add(tenant, "First"), add(tenant, "Second")
    existing = tenant.analysis.code
    codebook.reorder_codes(
        by=lead(tenant), project=project, parent=None, order=[second.pk, existing.pk, first.pk]
    )
    tree = codebook.current_tree(project)
    assert [node.code.name for node in tree] == ["Second", "Hearing back", "First"]
    with pytest.raises(ServiceError, match="has changed"):
        codebook.reorder_codes(by=lead(tenant), project=project, parent=None, order=[first.pk])


# Retiring keeps coded text


def test_a_retired_code_keeps_its_coded_text_but_is_not_offered_for_new_coding(
    tenant: Tenant,
) -> None:
    code = tenant.analysis.code
    inside = add(tenant, "Hearing back quickly", parent=code)
    before = coded(code)
    assert len(before) == 2
    assert codebook.retire_code(by=lead(tenant), code=code) == 2
    code.refresh_from_db()
    inside.refresh_from_db()
    assert code.retired and inside.retired
    assert coded(code) == before
    assert tenant.analysis.segment in coding.visible_segments(lead(tenant), code.project)
    with pytest.raises(ServiceError, match="retired"):
        coding.apply_codes(
            by=coder(tenant), source=tenant.analysis.source, codes=[code], start=0, end=5
        )
    assert codebook.current_tree(code.project) == []

    assert codebook.restore_code(by=lead(tenant), code=code) == 2
    inside.refresh_from_db()
    assert not inside.retired
    assert coded(code) == before


def test_a_retired_code_comes_back_only_where_its_parent_is_in_use(tenant: Tenant) -> None:
    parent = add(tenant, "Parent")
    child = add(tenant, "Child", parent=parent)
    codebook.retire_code(by=lead(tenant), code=parent)
    child.refresh_from_db()
    with pytest.raises(ServiceError, match="Restore Parent first"):
        codebook.restore_code(by=lead(tenant), code=child)


# Merging


def test_merging_keeps_every_coded_segment_without_doubling_any(tenant: Tenant) -> None:
    project, source = tenant.analysis.project, tenant.analysis.source
    target = tenant.analysis.code  # coded 40-76 by the lead and 48-76 by the coder
    other = add(tenant, "Feeling listened to")
    # The lead codes the same text with both codes (a double), and more text with the other.
    coding.apply_codes(by=lead(tenant), source=source, codes=[other], start=40, end=76)
    coding.apply_codes(by=lead(tenant), source=source, codes=[other], start=0, end=11)
    # The coder's 48-76 with the other code is theirs, not a double of the lead's.
    coding.apply_codes(by=coder(tenant), source=source, codes=[other], start=40, end=76)
    double = Segment.objects.get(code=other, coder=lead(tenant), start=40)
    coding.add_memo(by=lead(tenant), project=project, segment=double, text="On the double")
    coding.add_memo(by=lead(tenant), project=project, code=other, text="On the code")
    theme = Theme.objects.create(project=project, name="Being heard")
    theme.codes.add(other)
    tenant.analysis.theme.codes.add(other)  # already holds the target
    decision = Decision.objects.create(
        project=project,
        source=source,
        code=other,
        start=0,
        end=11,
        outcome=Decision.Outcome.AGREED,
        decided_by=lead(tenant),
    )
    inside = add(tenant, "Heard by the board", parent=other)
    expected = coded(target) | coded(other)

    result = codebook.merge_codes(by=lead(tenant), source=other, target=target)

    assert (result.moved, result.dropped) == (2, 1)
    assert coded(target) == expected
    keys = list(
        Segment.objects.filter(code=target).values_list("source_id", "start", "end", "coder_id")
    )
    assert len(keys) == len(set(keys)) == 4
    assert not Segment.objects.filter(code=other).exists()
    kept = Segment.objects.get(code=target, coder=lead(tenant), start=40)
    assert Memo.objects.get(text="On the double").segment == kept
    assert Memo.objects.get(text="On the code").code == target
    decision.refresh_from_db()
    assert decision.code == target
    assert set(theme.codes.all()) == {target}
    assert set(tenant.analysis.theme.codes.all()) == {target}
    inside.refresh_from_db()
    assert inside.parent == target
    other.refresh_from_db()
    assert other.retired and other.merged_into == target
    with pytest.raises(ServiceError, match="merged into Hearing back"):
        codebook.restore_code(by=lead(tenant), code=other)


def test_merging_keeps_consensus_once(tenant: Tenant) -> None:
    project, source = tenant.analysis.project, tenant.analysis.source
    target, other = tenant.analysis.code, add(tenant, "Other")
    for code, by in ((target, lead(tenant)), (other, coder(tenant))):
        Segment.objects.create(
            project=project,
            source=source,
            code=code,
            start=1,
            end=9,
            layer=Layer.CONSENSUS,
            coder=by,
            coded_at=tenant.analysis.segment.coded_at,
        )
    codebook.merge_codes(by=lead(tenant), source=other, target=target)
    assert Segment.objects.filter(code=target, layer=Layer.CONSENSUS).count() == 1


@pytest.mark.parametrize("case", ["itself", "retired", "inside", "clash"])
def test_merges_that_would_lose_the_tree_are_refused(tenant: Tenant, case: str) -> None:
    code = tenant.analysis.code
    if case == "itself":
        source, target, message = code, code, "different code"
    elif case == "retired":
        target = add(tenant, "Gone")
        codebook.retire_code(by=lead(tenant), code=target)
        source, message = code, "Gone is retired"
    elif case == "inside":
        source, target, message = code, add(tenant, "Inside", parent=code), "is inside"
    else:
        source, target = add(tenant, "One"), add(tenant, "Two")
        add(tenant, "Same", parent=source)
        add(tenant, "same", parent=target)
        message = "Both codes have a sub-code called Same"
    before = coded(code)
    with pytest.raises(ServiceError, match=message):
        codebook.merge_codes(by=lead(tenant), source=source, target=target)
    assert coded(code) == before
    code.refresh_from_db()
    assert not code.retired


# Splitting


def test_a_split_moves_the_chosen_segments_and_leaves_the_rest(tenant: Tenant) -> None:
    code, source = tenant.analysis.code, tenant.analysis.source
    extra = coding.apply_codes(by=lead(tenant), source=source, codes=[code], start=0, end=11)[0]
    theirs = Segment.objects.get(code=code, coder=coder(tenant))
    made = codebook.split_code(
        by=lead(tenant),
        code=code,
        parts=[
            SplitPart(name="Questions asked", segment_ids=[extra.pk]),
            SplitPart(name="Hearing what changed", segment_ids=[theirs.pk], colour="#ffb81c"),
        ],
    )
    asked, changed = made
    assert asked.parent == code.parent and asked.colour == code.colour
    assert changed.colour == "#ffb81c"
    assert list(Segment.objects.filter(code=asked)) == [extra]
    assert list(Segment.objects.filter(code=changed)) == [theirs]
    assert list(Segment.objects.filter(code=code)) == [tenant.analysis.segment]
    assert tenant.analysis.segment.memos.count() == 1  # memos stay with their segment


def test_split_refuses_segments_that_are_not_the_codes_or_are_chosen_twice(
    tenant: Tenant,
) -> None:
    code = tenant.analysis.code
    elsewhere = add(tenant, "Elsewhere")
    foreign = coding.apply_codes(
        by=lead(tenant), source=tenant.analysis.source, codes=[elsewhere], start=0, end=5
    )[0]
    mine = tenant.analysis.segment
    attempts = [
        ([SplitPart(name="A", segment_ids=[foreign.pk])], "not coded Hearing back"),
        (
            [
                SplitPart(name="A", segment_ids=[mine.pk]),
                SplitPart(name="B", segment_ids=[mine.pk]),
            ],
            "one new code only",
        ),
        ([SplitPart(name="A", segment_ids=[])], "Choose the coded text"),
        ([SplitPart(name="Elsewhere", segment_ids=[mine.pk])], "already a code called"),
    ]
    for parts, message in attempts:
        with pytest.raises(ServiceError, match=message):
            codebook.split_code(by=lead(tenant), code=code, parts=parts)
    assert Code.objects.filter(project=code.project).count() == 2
    assert coded(code) == {
        (mine.source_id, 40, 76, lead(tenant).pk, "coder"),
        (mine.source_id, 48, 76, coder(tenant).pk, "coder"),
    }


def test_split_can_put_the_new_codes_inside_the_code(tenant: Tenant) -> None:
    code = tenant.analysis.code
    (new,) = codebook.split_code(
        by=lead(tenant),
        code=code,
        parts=[SplitPart(name="Detail", segment_ids=[tenant.analysis.segment.pk])],
        inside=True,
    )
    assert new.parent == code


# Presets


def test_the_nhs_framework_has_ten_categories_and_32_sub_categories(tenant: Tenant) -> None:
    result = codebook.add_preset(
        by=lead(tenant), project=tenant.analysis.project, preset="nhs-patient-experience"
    )
    assert len(result.added) == 42
    tree = codebook.current_tree(tenant.analysis.project)
    categories = [node for node in tree if node.code.name != "Hearing back"]
    assert len(categories) == 10
    assert sum(len(node.children) for node in categories) == 32
    staff = next(node for node in categories if node.code.name == "Staff")
    assert [child.code.name for child in staff.children] == [
        "Manner and personal attributes",
        "Competence and training",
        "Staffing levels and responsiveness",
    ]
    assert all(OWN_WORDS in node.code.description for node in codebook.walk(categories))


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_preset_added_twice_adds_nothing_the_second_time(tenant: Tenant, preset: str) -> None:
    project = tenant.analysis.project
    first = codebook.add_preset(by=lead(tenant), project=project, preset=preset)
    assert len(first.added) == PRESETS[preset].count()
    count = Code.objects.filter(project=project).count()
    second = codebook.add_preset(by=lead(tenant), project=project, preset=preset)
    assert second.added == []
    assert second.present == PRESETS[preset].count()
    assert Code.objects.filter(project=project).count() == count


def test_the_theme_presets_have_three_and_six_themes() -> None:
    assert [code.name for code in PRESETS["personal-impact"].codes] == [
        "Motivations and expectations",
        "Positive aspects",
        "Challenges",
    ]
    assert len(PRESETS["co-design"].codes) == 6


def test_a_preset_fills_in_what_is_missing(tenant: Tenant) -> None:
    project = tenant.analysis.project
    staff = add(tenant, "staff")  # already there, in other letters
    add(tenant, "Competence and training", parent=staff)
    result = codebook.add_preset(by=lead(tenant), project=project, preset="nhs-patient-experience")
    assert result.present == 2
    assert len(result.added) == 40
    assert sorted(code.name for code in Code.objects.filter(parent=staff)) == [
        "Competence and training",
        "Manner and personal attributes",
        "Staffing levels and responsiveness",
    ]


def test_an_unknown_preset_is_refused(tenant: Tenant) -> None:
    with pytest.raises(ServiceError, match="ready-made"):
        codebook.add_preset(by=lead(tenant), project=tenant.analysis.project, preset="nope")


# CSV and QDC round trips


NAMES = ["Accès aux soins", "Ysbyty Gwynedd, Ŵyl", "Communication 日本語", "=Formula-looking"]


def build_codebook(tenant: Tenant) -> None:
    top = add(
        tenant,
        NAMES[0],
        description="Getting care, «quickly»\nand fairly",
        inclusion="Waiting, booking",
        exclusion="Travel",
        examples='"I waited six weeks"',
        colour="#D5281B",
    )
    middle = add(tenant, NAMES[1], parent=top, description="Œuvre")
    add(tenant, NAMES[2], parent=middle, examples="-5 points")
    add(tenant, NAMES[3])
    retired = add(tenant, "Retired one")
    codebook.retire_code(by=lead(tenant), code=retired)


def definitions(project: Project) -> list[tuple[str, ...]]:
    names = codebook.paths(project)
    return sorted(
        (
            names[code.pk],
            code.description,
            code.inclusion,
            code.exclusion,
            code.examples,
            code.colour,
        )
        for code in Code.objects.current().filter(project=project)
    )


def test_csv_round_trip_keeps_names_paths_and_definitions(tenant: Tenant) -> None:
    build_codebook(tenant)
    data = codebook.export_csv(tenant.analysis.project)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(codebook.CSV_HEADER)
    assert "Retired one" not in data.decode()
    # A spreadsheet must not run a name as a formula.
    assert any(row[1] == "'=Formula-looking" for row in rows)

    other = fresh_project(tenant)
    result = codebook.import_csv(by=lead(tenant), project=other, data=data)
    assert len(result.added) == 5
    assert definitions(other) == definitions(tenant.analysis.project)
    again = codebook.import_csv(by=lead(tenant), project=other, data=data)
    assert (again.added, again.present) == ([], 5)


def test_qdc_round_trip_keeps_names_definitions_and_guids(tenant: Tenant) -> None:
    build_codebook(tenant)
    project = tenant.analysis.project
    data = codebook.export_qdc(project)
    read = refiqda.read_qdc(data)
    assert {code.name for code in read.codes} == {NAMES[0], NAMES[3], "Hearing back"}

    other = fresh_project(tenant)
    result = codebook.import_qdc(by=lead(tenant), project=other, data=data)
    assert len(result.added) == 5
    assert definitions(other) == definitions(project)
    guids = {codebook.paths(project)[c.pk]: codebook.code_guid(c) for c in project.codes.current()}
    assert {codebook.paths(other)[c.pk]: c.guid for c in other.codes.all()} == guids
    again = codebook.import_qdc(by=lead(tenant), project=other, data=data)
    assert (again.added, again.present) == ([], 5)


def test_a_qdc_from_another_tool_is_read_with_warnings(tenant: Tenant) -> None:
    data = refiqda.write_qdc(
        refiqda.Codebook(
            [
                refiqda.Code(
                    guid="6f1c1a53-0000-4000-8000-000000000001",
                    name="Age > 65",
                    is_codable=False,
                    children=[
                        refiqda.Code(guid="6f1c1a53-0000-4000-8000-000000000002", name="Carers")
                    ],
                )
            ],
            origin="Another tool",
        )
    )
    result = codebook.import_qdc(by=lead(tenant), project=tenant.analysis.project, data=data)
    assert [code.name for code in result.added] == ["Age / 65", "Carers"]
    assert result.added[0].colour == codebook.DEFAULT_COLOUR
    assert any("Age > 65" in warning for warning in result.warnings)
    assert any("headings" in warning for warning in result.warnings)


def test_a_qdc_with_two_codes_of_one_name_under_a_parent_is_refused(tenant: Tenant) -> None:
    data = refiqda.write_qdc(
        refiqda.Codebook(
            [
                refiqda.Code(guid="6f1c1a53-0000-4000-8000-000000000001", name="Staff"),
                refiqda.Code(guid="6f1c1a53-0000-4000-8000-000000000002", name="staff"),
            ]
        )
    )
    before = Code.objects.count()
    with pytest.raises(ImportRefused, match="two codes called staff at the top level"):
        codebook.import_qdc(by=lead(tenant), project=tenant.analysis.project, data=data)
    assert Code.objects.count() == before


def csv_bytes(*rows: list[str], encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


HEADER = ["Parent", "Name", "Description", "Colour"]


def test_csv_rows_may_name_their_parent_before_it_appears(tenant: Tenant) -> None:
    data = csv_bytes(
        ["path", "name", "colour"],
        ["Hearing back > Access", "Parking", ""],
        ["Hearing back", "Access", "#007F3B"],
        ["", "Staff", ""],
    )
    result = codebook.import_csv(by=lead(tenant), project=tenant.analysis.project, data=data)
    assert [code.name for code in result.added] == ["Access", "Parking", "Staff"]
    paths = codebook.paths(tenant.analysis.project)
    assert paths[result.added[1].pk] == "Hearing back > Access > Parking"
    assert result.added[0].colour == "#007f3b"


def test_csv_in_windows_1252_and_utf_16_is_read(tenant: Tenant) -> None:
    project = tenant.analysis.project
    codebook.import_csv(
        by=lead(tenant),
        project=project,
        data=csv_bytes(HEADER, ["", "Café", "", ""], encoding="cp1252"),
    )
    codebook.import_csv(
        by=lead(tenant),
        project=project,
        data=csv_bytes(HEADER, ["", "Ŵales", "", ""], encoding="utf-16"),
    )
    assert {"Café", "Ŵales"} <= set(project.codes.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\n \n", "The file is empty"),
        (b"x" * (codebook.MAX_FILE_BYTES + 1), "larger than 5 MB"),
        (b"\xff\xfeN\x00\x00\xd8", "not valid UTF-16"),
        (b"Name\nCaf\x81\x8d\n", "encoding could not be recognised"),
        (b"Name\nA\x00B\n", "NUL"),
        (csv_bytes(["Title", "Colour"], ["A", "#000000"]), 'a "Name" column'),
        (csv_bytes(["Name", "Code"], ["A", "B"]), "two columns"),
        (csv_bytes(HEADER), "no codes"),
        (
            csv_bytes(HEADER, ["", "Good", "", ""], ["Nowhere", "Lost", "", ""]),
            "Row 3: its parent Nowhere is neither",
        ),
        (
            csv_bytes(HEADER, ["", "Staff", "", ""], ["", "staff", "", ""]),
            "Rows 2 and 3 both add a code called staff",
        ),
        (csv_bytes(HEADER, ["", "Staff", "", "blue"]), "Row 2: Enter the colour"),
        (csv_bytes(HEADER, ["", "", "A description", ""]), "Row 2: Enter a name"),
        (csv_bytes(HEADER, ["", "Staff", "", "", "extra"]), "Row 2 has 5 cells"),
        (b'Name,Description\n"Staff"x,y\n', "Line 2 is not valid CSV"),
        (
            csv_bytes(["Name"], *([f"Code {n}"] for n in range(codebook.MAX_CODES + 1))),
            "more than 5,000 codes",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "oversized",
        "bad-utf16",
        "unknown-encoding",
        "nul",
        "no-name-column",
        "two-name-columns",
        "header-only",
        "unknown-parent",
        "duplicate",
        "bad-colour",
        "no-name",
        "ragged",
        "bad-quotes",
        "too-many",
    ],
)
def test_a_bad_csv_is_refused_whole_with_a_specific_message(
    tenant: Tenant, data: bytes, message: str
) -> None:
    before = Code.objects.count()
    with pytest.raises(ImportRefused, match=message):
        codebook.import_csv(by=lead(tenant), project=tenant.analysis.project, data=data)
    assert Code.objects.count() == before


def test_a_file_of_another_kind_is_refused(tenant: Tenant) -> None:
    with pytest.raises(ImportRefused, match=r"\.csv.*\.qdc"):
        codebook.import_file(
            by=lead(tenant), project=tenant.analysis.project, name="codes.xlsx", data=b"PK"
        )


def test_a_bad_qdc_is_refused(tenant: Tenant) -> None:
    with pytest.raises(ImportRefused, match="not well-formed XML"):
        codebook.import_qdc(by=lead(tenant), project=tenant.analysis.project, data=b"<CodeBook")


# Pieces of CSV that meet the importer's edge cases: separators, quotes, line breaks, paths,
# colours, formula marks, byte-order marks, NUL, and the column names it looks for.
cells = st.lists(
    st.sampled_from([*"ab >,\"\n\r\t#0f;'=é€\x00\ufeff", "Name", "Parent", " > ", "#00ff00"]),
    max_size=12,
).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(cells, max_size=5), max_size=6).map(
            lambda rows: csv_bytes(["Parent", "Name", "Colour"], *rows)
        ),
        st.lists(cells, max_size=30).map(lambda parts: ",".join(parts).encode("utf-8")),
    )
)
def test_fuzzed_csv_is_imported_or_refused_cleanly(tenant: Tenant, data: bytes) -> None:
    project = tenant.analysis.project
    before = Code.objects.filter(project=project).count()
    try:
        result = codebook.import_csv(by=lead(tenant), project=project, data=data)
    except ServiceError:
        assert Code.objects.filter(project=project).count() == before
    else:
        assert Code.objects.filter(project=project).count() == before + len(result.added)


def test_segment_counts_follow_blind_coding(tenant: Tenant) -> None:
    project, code = tenant.analysis.project, tenant.analysis.code
    assert codebook.segment_counts(lead(tenant), project) == {code.pk: 2}
    assert codebook.segment_counts(coder(tenant), project) == {code.pk: 1}
    coding.open_comparison(by=lead(tenant), project=project)
    project.refresh_from_db()
    assert codebook.segment_counts(coder(tenant), project) == {code.pk: 2}
