"""API URLs (``/api/…``): a list and a detail route per record kind, search, the OpenAPI
schema and its documentation page (Swagger UI from the project's own static files)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter(trailing_slash=True)
for key, viewset in api.VIEWSETS.items():
    router.register(key, viewset, basename=f"api-{key}")

urlpatterns = [
    path("search/", api.SearchView.as_view(), name="api-search"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
