"""Coding, blind coding, comparing coders and agreeing."""

import pytest

from conftest import LEAD_MEMO, Tenant
from coproduce.analysis import presenters
from coproduce.analysis.models import Code, Layer, Segment, Source
from coproduce.analysis.services import coding, sources
from coproduce.core.errors import ServiceError
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def released(tenant: Tenant, text: str, name: str = "Notes") -> Source:
    pasted = sources.paste_text(
        by=tenant.users[Role.ANALYST],
        project=tenant.analysis.project,
        name=name,
        text=text,
        pseudonymise=False,
    )
    return pasted.sources.get()


def test_offsets_point_at_the_same_words_with_accents_emoji_and_windows_line_endings(
    tenant: Tenant,
) -> None:
    source = released(tenant, "Première visite 😊\r\nThe nurse—Siân—explained everything.\r\n")
    # Windows line endings are stored as "\n", so offsets count one character per line break.
    assert "\r" not in source.text
    start = source.text.index("Siân")
    segment = coding.apply_codes(
        by=tenant.users[Role.STAFF],
        source=source,
        codes=[tenant.analysis.code],
        start=start,
        end=start + 4,
    )[0]
    segment.refresh_from_db()
    assert source.text[segment.start : segment.end] == "Siân"
    runs = [
        run
        for passage in presenters.passages(source.text, [segment])
        for run in passage.runs
        if run.codes
    ]
    assert [run.text for run in runs] == ["Siân"]


def test_applying_the_same_code_twice_changes_nothing(tenant: Tenant) -> None:
    analysis, coder = tenant.analysis, tenant.users[Role.STAFF]
    first = coding.apply_codes(
        by=coder, source=analysis.source, codes=[analysis.code], start=0, end=5
    )
    again = coding.apply_codes(
        by=coder, source=analysis.source, codes=[analysis.code], start=0, end=5
    )
    assert len(first) == 1 and again == []


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (0, 10_000)])
def test_a_range_outside_the_text_is_refused(tenant: Tenant, start: int, end: int) -> None:
    analysis = tenant.analysis
    with pytest.raises(ServiceError, match="Choose some text"):
        coding.apply_codes(
            by=tenant.users[Role.STAFF],
            source=analysis.source,
            codes=[analysis.code],
            start=start,
            end=end,
        )


def test_retired_codes_and_unreleased_sources_cannot_be_coded(tenant: Tenant) -> None:
    analysis, coder = tenant.analysis, tenant.users[Role.STAFF]
    retired = Code.objects.create(project=analysis.project, name="Old", retired=True)
    with pytest.raises(ServiceError, match="retired"):
        coding.apply_codes(by=coder, source=analysis.source, codes=[retired], start=0, end=3)
    waiting = analysis.under_review.sources.get()
    with pytest.raises(ServiceError, match="not been released"):
        coding.apply_codes(by=coder, source=waiting, codes=[analysis.code], start=0, end=3)


def test_blind_coders_see_only_their_own_coding_until_the_comparison_opens(
    tenant: Tenant,
) -> None:
    analysis = tenant.analysis
    lead, coder, viewer = (
        tenant.users[Role.ANALYST],
        tenant.users[Role.STAFF],
        tenant.users[Role.INVOLVEMENT_LEAD],
    )
    assert set(
        coding.visible_segments(coder, analysis.project).values_list("coder", flat=True)
    ) == {coder.pk}
    assert not coding.visible_segments(viewer, analysis.project).exists()
    assert coding.visible_segments(lead, analysis.project).count() == 2
    coding.open_comparison(by=lead, project=analysis.project)
    assert coding.visible_segments(coder, analysis.project).count() == 2
    assert coding.visible_segments(viewer, analysis.project).count() == 2


def test_coders_remove_only_their_own_coding(tenant: Tenant) -> None:
    analysis = tenant.analysis
    with pytest.raises(ServiceError, match="only your own"):
        coding.remove_segment(by=tenant.users[Role.STAFF], segment=analysis.segment)
    coding.remove_segment(by=tenant.users[Role.ANALYST], segment=analysis.segment)
    assert not Segment.objects.filter(pk=analysis.segment.pk).exists()


def test_a_response_is_coded_whole_and_the_same_key_takes_the_code_off(tenant: Tenant) -> None:
    analysis, coder = tenant.analysis, tenant.users[Role.STAFF]
    analysis.response.source_import.status = "released"
    made = coding.code_response(by=coder, source=analysis.response, code=analysis.code)
    assert made is not None
    assert (made.start, made.end) == (0, len(analysis.response.text))
    assert coding.code_response(by=coder, source=analysis.response, code=analysis.code) is None
    assert not Segment.objects.filter(source=analysis.response).exists()


def test_the_comparison_finds_each_difference_and_who_coded_it(tenant: Tenant) -> None:
    analysis = tenant.analysis
    lead = tenant.users[Role.ANALYST]
    # The lead coded 40-76 and the coder 48-76: they differ on 40-48 only.
    result = coding.compare(analysis.source)
    assert [(d.start, d.end, d.applied_by) for d in result.differences] == [
        (40, 48, frozenset({lead.pk}))
    ]
    overall = result.agreement.overall
    assert overall.characters == len(analysis.source.text)
    assert overall.percent == pytest.approx((76 - 8) / 76)


def test_two_coders_with_a_known_table_give_the_published_kappa(tenant: Tenant) -> None:
    """Cohen's worked example shape: of 100 characters, both coded 20, neither 70, and each
    alone 5: observed agreement 0.9, chance agreement 0.625, kappa 0.7333."""
    lead, coder = tenant.users[Role.ANALYST], tenant.users[Role.STAFF]
    source = released(tenant, "x" * 100, "Hundred")
    code = tenant.analysis.code
    coding.apply_codes(by=lead, source=source, codes=[code], start=0, end=25)
    coding.apply_codes(by=coder, source=source, codes=[code], start=5, end=30)
    overall = coding.compare(source).agreement.overall
    assert overall.percent == pytest.approx(0.9)
    assert overall.kappa == pytest.approx(0.7333, abs=1e-4)


def test_decisions_build_the_consensus_and_say_who_decided(tenant: Tenant) -> None:
    analysis, lead = tenant.analysis, tenant.users[Role.ANALYST]
    with pytest.raises(ServiceError, match="Open the comparison"):
        coding.decide(
            by=lead,
            source=analysis.source,
            code=analysis.code,
            start=40,
            end=48,
            outcome="agreed",
        )
    coding.open_comparison(by=lead, project=analysis.project)
    made = coding.agree_where_unanimous(by=lead, source=analysis.source)
    assert made == 1
    decision = coding.decide(
        by=lead,
        source=analysis.source,
        code=analysis.code,
        start=40,
        end=48,
        outcome="agreed",
        note="The opening words carry the meaning",
    )
    assert decision.decided_by == lead
    consensus = Segment.objects.filter(source=analysis.source, layer=Layer.CONSENSUS)
    assert sorted((s.start, s.end) for s in consensus) == [(40, 48), (48, 76)]
    assert coding.compare(analysis.source).differences[0].decision == decision
    coding.decide(
        by=lead,
        source=analysis.source,
        code=analysis.code,
        start=40,
        end=48,
        outcome="rejected",
    )
    assert consensus.all().count() == 1


def test_project_agreement_pools_every_source_two_people_coded(tenant: Tenant) -> None:
    pooled = coding.project_agreement(tenant.analysis.project)
    assert pooled.overall.characters == len(tenant.analysis.source.text)
    assert list(pooled.by_code) == [tenant.analysis.code.pk]


def test_the_fixture_memo_is_the_leads(tenant: Tenant) -> None:
    assert tenant.analysis.memo.text == LEAD_MEMO
