from django.urls import path

from evidence import views

urlpatterns = [
    path("graph/", views.graph_page, name="graph"),
    path("graph/data/", views.graph_data, name="graph-data"),
    path("matrix/", views.matrix, name="matrix"),
]
