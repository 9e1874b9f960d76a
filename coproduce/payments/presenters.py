"""How a claim's status is shown: the same tag colours on every page."""

from coproduce.payments.models import Claim

STATUS_CLASSES = {
    Claim.Status.SUBMITTED: "nhsuk-tag--blue",
    Claim.Status.QUERIED: "nhsuk-tag--yellow",
    Claim.Status.APPROVED: "nhsuk-tag--green",
    Claim.Status.REJECTED: "nhsuk-tag--red",
    Claim.Status.PAID: "nhsuk-tag--grey",
}


def status_tag(claim: Claim) -> dict[str, str]:
    return {
        "text": claim.get_status_display(),
        "classes": STATUS_CLASSES[Claim.Status(claim.status)],
    }
