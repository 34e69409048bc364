from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.exports import ClaimsJSONLinesApi, GraphApi
from api.health import HealthApi
from api.views import ClaimViewSet, EvidenceViewSet, ProposalViewSet, SourceViewSet

router = DefaultRouter()
router.register("sources", SourceViewSet, basename="source")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("claims", ClaimViewSet, basename="claim")
router.register("evidence", EvidenceViewSet, basename="evidencelink")

urlpatterns = [
    path("graph/", GraphApi.as_view(), name="graph"),
    path("export/claims.jsonl", ClaimsJSONLinesApi.as_view(), name="claims-jsonl"),
    path("health/", HealthApi.as_view(), name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    *router.urls,
]
