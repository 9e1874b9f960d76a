"""The test suite: fast password hashing, in-memory e-mail, no throttling surprises."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run writes its uploads to a throwaway folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="coproduce-uploads-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The SQLite test database is a file, not memory, so that worker processes started by a test
# (the scale-out test's RQ workers) open the same database; in shared memory when there is
# some, to stay as quick as memory.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _shm = Path("/dev/shm")  # noqa: S108 - a private folder made in it by mkdtemp
    _tests_dir = tempfile.mkdtemp(prefix="coproduce-db-", dir=_shm if _shm.is_dir() else None)
    atexit.register(shutil.rmtree, _tests_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(Path(_tests_dir) / "test.sqlite3")}  # noqa: F405
AXES_FAILURE_LIMIT = 5
WHITENOISE_USE_FINDERS = True
