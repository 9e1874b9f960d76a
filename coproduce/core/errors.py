"""The one exception services raise when a request breaks a rule of the domain.

Pages show it in the NHS.UK error summary against the field it names; the API answers with it
as a JSON error body.
"""


class ServiceError(Exception):
    def __init__(self, message: str, *, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
