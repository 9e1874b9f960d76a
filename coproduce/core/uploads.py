"""Checking uploaded files by what they contain, and serving stored files to those allowed.

A file's name and the type the browser claims are both chosen by the uploader, so neither is
trusted: the type comes from the file's first bytes. Files are stored under MEDIA_ROOT, outside
the web root, and leave it only through `serve`, called by a view that has checked access.
"""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from coproduce.core.errors import ServiceError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"

RECEIPT_TYPES = {PDF: "a PDF", JPEG: "a JPEG photo", PNG: "a PNG image"}
DOCUMENT_TYPES = {
    PDF: "a PDF",
    DOCX: "a Word document",
    ODT: "an OpenDocument text",
    TEXT: "a text file",
}


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    content_type: str
    size: int
    original_name: str


def _sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    # Plain text has no signature: accept it only if it is valid UTF-8 with no NUL bytes.
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the 8 KiB boundary is still text.
        if error.start < len(head) - 4:
            return None
    return TEXT


def check(upload: UploadedFile, allowed: dict[str, str], *, field: str) -> CheckedUpload:
    """The upload, if it is one of the allowed types and not too large; else a ServiceError."""
    size = upload.size or 0
    limit = settings.UPLOAD_MAX_BYTES
    if size == 0:
        raise ServiceError("The selected file is empty", field=field)
    if size > limit:
        raise ServiceError(
            f"The selected file must be smaller than {limit // (1024 * 1024)} MB", field=field
        )
    content_type = _sniff(upload)
    if content_type not in allowed:
        names = list(allowed.values())
        listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        raise ServiceError(f"The selected file must be {listed}", field=field)
    name = PurePath(upload.name or "file").name[-200:]
    return CheckedUpload(upload, content_type, size, name)


EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", ODT: "odt", TEXT: "txt"}


def download_name(title: str, content_type: str, fallback: str) -> str:
    """A safe file name for a download, with the extension its checked type calls for (never
    the uploader's own, which could make a browser treat the file as something else)."""
    stem = "".join(c if c.isalnum() or c in " -_" else "-" for c in PurePath(title).stem).strip()
    return f"{stem or fallback}.{EXTENSIONS.get(content_type, 'bin')}"


def serve(stored: FieldFile, content_type: str, filename: str) -> FileResponse:
    """Send a stored file as a download, never rendered inline as a page of this site."""
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=filename)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
