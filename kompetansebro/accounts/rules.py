import rules


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.pk == person.pk


rules.add_perm("accounts.change_profile", rules.is_authenticated & is_self)
