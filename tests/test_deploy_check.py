"""Production settings pass Django's deployment check (`make check-deploy` runs the same), so CI keeps them clean.

Each check runs `manage.py` in a fresh process because settings are read from the environment at import time.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from kompetansebro.core.checks import trusted_proxies_are_addresses

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Only what a process needs to start: any setting from the developer's shell (DEBUG, SECURE_*, ...) stays out.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV", "SYSTEMROOT")


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
        cwd=PROJECT_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "KOMPETANSEBRO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kompetansebro.example.no",
        "CSRF_TRUSTED_ORIGINS": "https://kompetansebro.example.no",
        "SITE_URL": "https://kompetansebro.example.no",
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kompetansebro.sqlite3'}",
        "KOMPETANSEBRO_VAR_DIR": str(tmp_path),
    }


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))

    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"


def test_the_deployment_check_warns_when_no_proxy_is_trusted(tmp_path):
    """Behind nginx without TRUSTED_PROXIES every visitor shares one address in the lock-outs (issue 11 item 10)."""
    env = production_env(tmp_path)
    del env["TRUSTED_PROXIES"]

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "kompetansebro.W001" in result.stderr + result.stdout


def test_a_proxy_that_is_not_an_address_stops_the_start(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "nginx"]

    errors = trusted_proxies_are_addresses(None)

    assert [error.id for error in errors] == ["kompetansebro.E001"]
    assert "'nginx'" in errors[0].msg


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
