"""Project-wide agreement is read a batch of sources at a time and added up as it goes; it must
give exactly the figures of comparing each source and pooling them."""

import random

import pytest
from django.utils import timezone

from conftest import Tenant
from coproduce.analysis import agreement
from coproduce.analysis.models import Code, Layer, Segment, Source
from coproduce.analysis.services import coding
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def test_project_agreement_equals_pooling_every_source_compared_alone(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    analysis = tenant.analysis
    project = analysis.project
    coders = [tenant.users[role] for role in (Role.ANALYST, Role.STAFF, Role.ADMINISTRATOR)]
    codes = [analysis.code, Code.objects.create(project=project, name="Being paid")]
    rng = random.Random(5)
    sources = [
        Source.objects.create(
            project=project,
            source_import=analysis.source.source_import,
            kind=Source.Kind.TEXT,
            name=f"Extra {number}",
            text="Coming here gave me a reason to leave the house. " * rng.randint(1, 4),
        )
        for number in range(9)
    ]
    now = timezone.now()
    for source in sources:
        length = len(source.text)
        for coder in rng.sample(coders, rng.randint(1, 3)):
            for _ in range(rng.randint(1, 3)):
                start = rng.randrange(0, length - 1)
                whole = rng.random() < 0.3  # coded whole, as survey responses are
                Segment.objects.create(
                    project=project,
                    source=source,
                    code=rng.choice(codes),
                    start=0 if whole else start,
                    end=length if whole else rng.randint(start + 1, length),
                    coder=coder,
                    coded_at=now,
                )
    # Consensus coding is not a coder's and is left out.
    Segment.objects.create(
        project=project,
        source=sources[0],
        code=codes[0],
        start=0,
        end=5,
        layer=Layer.CONSENSUS,
        coder=coders[0],
        coded_at=now,
    )

    expected = []
    for source in Source.objects.filter(project=project):
        found: dict[int, dict[int, list[tuple[int, int]]]] = {}
        for coder_id, code_id, start, end in (
            source.segments.filter(layer=Layer.CODER)
            .order_by("start", "end", "pk")
            .values_list("coder_id", "code_id", "start", "end")
        ):
            assert coder_id is not None
            found.setdefault(coder_id, {}).setdefault(code_id, []).append((start, end))
        if len(found) >= 2:
            expected.append((source.pk, agreement.compare_source(len(source.text), found)))
    assert len(expected) >= 4

    # Small batches, so that several are read and both ways of finding lengths are used.
    monkeypatch.setattr(coding, "AGREEMENT_BATCH", 2)
    pooled = coding.project_agreement(project)
    wanted = agreement.pool(comparison for _, comparison in expected)
    assert pooled.overall == wanted.overall
    assert pooled.by_code == wanted.by_code
    assert pooled.overall.kappa is not None
    by_source = coding.agreement_by_source(project)
    assert by_source == dict(expected)
    assert coding.pool(by_source.values()) == wanted
