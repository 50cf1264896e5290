"""Who may import. Exports need no rule of their own: they run the list pages' selectors, which show
each person only what they may see."""

import rules

from kompetansebro.organisations.models import Organisation


@rules.predicate
def may_import_needs(user) -> bool:
    return user.has_perm("needs.add_need")


@rules.predicate
def may_import_offerings(user) -> bool:
    return user.has_perm("offerings.add_offering")


rules.add_perm("transfer.import", may_import_needs | may_import_offerings)


def importable_owners(user, kind: str):
    """The organisations (needs) or providers (offerings) the person may import for."""
    if kind == "needs":
        from kompetansebro.needs.rules import organisations_user_may_register_for

        return organisations_user_may_register_for(user)
    from kompetansebro.offerings.rules import providers_user_may_edit

    return providers_user_may_edit(user)


def may_import_for(user, kind: str, owner: Organisation) -> bool:
    return owner is not None and importable_owners(user, kind).filter(pk=owner.pk).exists()
