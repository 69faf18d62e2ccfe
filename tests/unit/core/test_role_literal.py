"""RoleCode, which the API names its roles with, agrees with roles.yaml, which is data."""

from typing import get_args

from netral.core.security import SCOPE_KINDS, RoleCode, roles


def test_role_codes_are_the_roles_in_roles_yaml():
    assert set(get_args(RoleCode)) == set(roles())


def test_scope_kinds_are_national_province_region():
    assert SCOPE_KINDS == ("national", "province", "region")
