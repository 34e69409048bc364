from django.urls import path

from sources import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/rows/", views.home_rows, name="source-rows"),
    path("sources/new/", views.source_new, name="source-new"),
    path("sources/<int:pk>/", views.source_detail, name="source-detail"),
    path("sources/<int:pk>/status/", views.source_status, name="source-status"),
    path("search/", views.search, name="search"),
]
