"""How views declare what they need: anonymous visitors are sent to log in, logged-in people without
the permission get 403. The permission itself is decided only by the rules modules."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, fn=None):
    """`fn(request, *args, **kwargs)` returns the object the permission is checked against."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            target = fn(request, *args, **kwargs) if fn else None
            if not request.user.has_perm(perm, target):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
