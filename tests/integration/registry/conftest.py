"""A small registry to import into: the shipped regions and a few OPD with units in each region."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.registry import service
from netral.registry.models import Opd

# region -> [(code, name, kind, [unit names])]
OPD_TREE: dict[str, list[tuple[str, str, str, list[str]]]] = {
    "32.73": [
        ("DISDIK", "Dinas Pendidikan", "dinas", ["Sekretariat", "Bidang Pembinaan SD"]),
        ("DINKES", "Dinas Kesehatan", "dinas", ["Sekretariat", "Puskesmas Garuda"]),
        ("DISHUB", "Dinas Perhubungan", "dinas", ["Sekretariat", "Bidang Lalu Lintas"]),
    ],
    "32.04": [
        ("DISDIK", "Dinas Pendidikan Kabupaten Bandung", "dinas", ["Sekretariat"]),
    ],
}


@dataclass(frozen=True)
class Registry:
    opd: dict[tuple[str, str], Opd]  # (region, code) -> OPD

    def id(self, region: str, code: str) -> int:
        return self.opd[(region, code)].id


@pytest.fixture
def registry(db: Session) -> Registry:
    service.load_shipped_wilayah(db_session=db, actor=Actor.system())
    made: dict[tuple[str, str], Opd] = {}
    for region, tree in OPD_TREE.items():
        for code, name, kind, units in tree:
            parent = service.create_opd(db_session=db, region_code=region, code=code, name=name,
                                        kind=kind)
            made[(region, code)] = parent
            for i, unit in enumerate(units, start=1):
                service.create_opd(db_session=db, region_code=region, code=f"{code}-{i}",
                                   name=unit, kind="unit", parent=parent)
    db.commit()
    return Registry(made)
