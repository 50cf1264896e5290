"""The forums' permission matrix is split by part (core, minutes and documents, tasks); together they must cover
every URL of the "forums" namespace, so a view added outside the three parts cannot escape the matrix."""

from django.urls import get_resolver

from tests import test_permissions_forums_core, test_permissions_forums_minutes, test_permissions_forums_tasks


def test_the_three_matrices_cover_every_forums_view():
    _prefix, resolver = get_resolver().namespace_dict["forums"]
    names = {f"forums:{key}" for key in resolver.reverse_dict if isinstance(key, str)}
    covered = {
        name
        for module in (test_permissions_forums_core, test_permissions_forums_minutes, test_permissions_forums_tasks)
        for name, *_ in module.MATRIX
    }
    assert names
    assert names - covered == set()
