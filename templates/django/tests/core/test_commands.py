from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.mark.django_db
def test_release_migrates_and_collects_static_files(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("release", verbosity=0)
    assert (tmp_path / "drf_spectacular_sidecar" / "swagger-ui-dist").is_dir()
