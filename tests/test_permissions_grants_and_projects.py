"""The grants' and projects' permission matrices are split by part; together they must cover every URL of the
"grants" and "projects" namespaces, so a view added outside the parts cannot escape the matrix."""

import pytest
from django.urls import get_resolver

from tests import (
    test_permissions_grants_rounds,
    test_permissions_grants_schemes,
    test_permissions_projects_core,
    test_permissions_projects_economy,
)

PARTS = {
    "grants": (test_permissions_grants_schemes, test_permissions_grants_rounds),
    "projects": (test_permissions_projects_core, test_permissions_projects_economy),
}


@pytest.mark.parametrize("namespace", sorted(PARTS))
def test_the_matrices_cover_every_view(namespace):
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    names = {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {name for module in PARTS[namespace] for name, *_ in module.MATRIX}
    assert names
    assert names - covered == set()
