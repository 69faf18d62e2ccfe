"""`netral serve --workers N`: several web processes only with the jobs outside them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from netral.cli import app
from netral.core.settings import get_settings

runner = CliRunner()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_several_workers_with_inprocess_jobs_are_refused_in_words(cli_data_env, monkeypatch):
    monkeypatch.setenv("NETRAL_JOBS", "inprocess")
    get_settings.cache_clear()
    r = runner.invoke(app, ["serve", "--workers", "2"])
    assert r.exit_code == 2
    out = " ".join(r.output.split())
    assert "NETRAL_JOBS=external" in out and "netral worker" in out


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_workers_and_reload_do_not_mix(cli_data_env, monkeypatch):
    monkeypatch.setenv("NETRAL_JOBS", "external")
    get_settings.cache_clear()
    r = runner.invoke(app, ["serve", "--workers", "2", "--reload"])
    assert r.exit_code == 2 and "--reload" in r.output
