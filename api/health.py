"""Whether the database and the broker can be reached; for load balancers and operators."""

import os

from django.conf import settings
from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import HealthSerializer


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ok"


def broker_state() -> str:
    """Redis answers PING when REDIS_URL is set; otherwise the filesystem broker's folder is writable."""
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        except (redis.RedisError, OSError) as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok"
    folder = settings.BROKER_DIR / "queue"
    if not (folder.is_dir() and os.access(folder, os.W_OK)):
        return f"unreachable: {folder} is not a writable folder"
    return "ok"


class HealthApi(APIView):
    """Like every endpoint it needs a login (a monitor uses a viewer's token); 503 when a service is down."""

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer})
    def get(self, request):
        database, broker = database_state(), broker_state()
        healthy = database == broker == "ok"
        return Response(
            {"status": "ok" if healthy else "failing", "database": database, "broker": broker},
            status=200 if healthy else 503,
        )
