"""The paged list of a dataset's responses: what it shows before release, and the list of
responses a coder has not coded yet."""

import pytest
from django.test import Client

from conftest import Tenant
from coproduce.analysis.models import Dataset, Import, Source
from coproduce.analysis.services import coding
from coproduce.core.roles import Role

pytestmark = pytest.mark.django_db


def _responses(dataset: Dataset, texts: list[str]) -> list[Source]:
    assert dataset.source_import is not None
    return [
        Source.objects.create(
            project=dataset.project,
            source_import=dataset.source_import,
            dataset=dataset,
            row=row,
            kind=Source.Kind.RESPONSE,
            name=f"{dataset.name}, row {row}",
            text=text,
        )
        for row, text in enumerate(texts, start=10)
    ]


def test_show_uncoded_leaves_out_only_what_the_coder_coded(tenant: Tenant) -> None:
    analysis = tenant.analysis
    mine, theirs, _ = _responses(
        analysis.dataset,
        ["Mine: the car park", "Theirs: the waiting room", "Unclaimed: the letters"],
    )
    staff, lead = tenant.users[Role.STAFF], tenant.users[Role.ANALYST]
    coding.code_response(by=staff, source=mine, code=analysis.code)
    coding.code_response(by=lead, source=theirs, code=analysis.code)
    client = Client()
    client.force_login(staff)
    url = f"/analysis/{analysis.project.pk}/datasets/{analysis.dataset.pk}/"

    everything = client.get(url).content.decode()
    assert all(text in everything for text in ("Mine:", "Theirs:", "Unclaimed:"))
    assert "Showing 1 to 4 of 4" in everything

    uncoded = client.get(f"{url}?show=uncoded").content.decode()
    assert "Mine:" not in uncoded
    assert "Theirs:" in uncoded and "Unclaimed:" in uncoded
    assert "Showing 1 to 3 of 3" in uncoded


def test_a_dataset_under_review_lists_no_responses(tenant: Tenant) -> None:
    project = tenant.analysis.project
    under_review = Import.objects.create(
        project=project, status=Import.Status.REVIEW, file_name="later.csv"
    )
    dataset = Dataset.objects.create(
        project=project, source_import=under_review, name="Later", text_column="Comment"
    )
    _responses(dataset, ["Not for coders yet"])
    client = Client()
    client.force_login(tenant.users[Role.STAFF])
    page = client.get(f"/analysis/{project.pk}/datasets/{dataset.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Not for coders yet" not in body
    assert "No results" in body
