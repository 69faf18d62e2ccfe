"""The demo season's briefings: loaded through the service and the sheet importer."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from netral.briefings import service
from netral.briefings.models import Attendance, Briefing
from netral.cli import app
from netral.core.audit import Actor
from netral.core.models import User
from netral.core.security import Scope

runner = CliRunner()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_demo_briefings_leave_gaps_and_an_open_check_in(cli_data_env, engine):
    r = runner.invoke(app, ["demo", "--asn", "260", "--second-region-asn", "10"])
    assert r.exit_code == 0, r.output
    with Session(engine) as db:
        t = service.totals(db_session=db, scope=Scope("region", "32.73"))
        assert (t.events, t.camat, t.camat_briefed, t.lurah) == (4, 30, 26, 151)
        assert 0 < t.lurah_briefed < t.lurah and t.missed_all > 0
        missed = service.missed_all(db_session=db, scope=Scope("region", "32.73"))
        assert {m.kind for m in missed} >= {"camat", "lurah"}
        by_name = db.scalars(select(Attendance).where(Attendance.matched_by == "name")).all()
        assert by_name  # some sheet rows carried only a name, confirmed through the importer
        upcoming = db.scalars(select(Briefing).order_by(Briefing.starts_at.desc())).first()
        assert service.checkin_state(upcoming) == "open"
        demo_asn = db.scalar(select(User).where(User.username == "asn.demo"))
        done = service.check_in(
            db_session=db,
            token=upcoming.checkin_token,
            nip=demo_asn.nip,
            actor=Actor.of(demo_asn),
        )
        assert not done.already
