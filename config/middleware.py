from django.contrib.auth.middleware import LoginRequiredMiddleware


class PageLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login; the REST API answers 401 itself instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
