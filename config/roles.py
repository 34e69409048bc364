"""The three roles. Viewers read everything, analysts also review and link, admins do anything.

A role is a Django group of the same name; superusers count as admins.
"""

VIEWER = "viewer"
ANALYST = "analyst"
ADMIN = "admin"
ROLES = (VIEWER, ANALYST, ADMIN)


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: a page asks several times and should query once.
    if not hasattr(user, "_corroborate_groups"):
        user._corroborate_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._corroborate_groups


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or ADMIN in _group_names(user)))


def can_edit(user) -> bool:
    """Analysts and admins review proposals, edit claims and link evidence."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_group_names(user) & {ANALYST, ADMIN})


def can_view(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def roles_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_edit": False, "is_admin": False}
    return {"can_edit": can_edit(user), "is_admin": is_admin(user)}
