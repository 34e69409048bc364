from rest_framework.permissions import SAFE_METHODS, BasePermission

from config.roles import can_edit, can_view, is_admin


class RolePermission(BasePermission):
    """Viewers read; analysts also write; views that set `admin_only_methods` keep those to admins."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if request.method in SAFE_METHODS:
            return can_view(user)
        if request.method in getattr(view, "admin_only_methods", ()):
            return is_admin(user)
        return can_edit(user)
