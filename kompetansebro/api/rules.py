"""Who may manage API tokens: a person manages only their own."""

import rules


@rules.predicate
def is_logged_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and is_logged_in(user) and token.user_id == user.pk


rules.add_perm("api.view_token_list", is_logged_in)
rules.add_perm("api.add_token", is_logged_in)
rules.add_perm("api.revoke_token", owns_token)
