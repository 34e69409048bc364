import io

import networkx as nx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.services import claim_create
from evidence.services import evidence_link_create
from tests.factories import SourceFactory


def _by_id(graph):
    return {node["id"]: node for node in graph["nodes"]}


def test_whole_corpus(analyst_api, corpus):
    graph = analyst_api.get("/api/graph/").json()
    nodes = _by_id(graph)
    claims, sources = corpus["claims"], corpus["sources"]
    assert len(nodes) == 3 + 5
    peskov = nodes[f"claim-{claims['peskov'].pk}"]
    assert peskov == {
        "id": f"claim-{claims['peskov'].pk}",
        "type": "claim",
        "text": "Peskov declared the report a fake.",
        "source": sources["daily"].pk,
        "status": "contested",
        "speaker": "Peskov",
    }
    assert nodes[f"claim-{claims['analysts'].pk}"]["status"] == "single-source"
    assert nodes[f"claim-{claims['convoy'].pk}"]["status"] == "corroborated"
    assert nodes[f"source-{sources['wire'].pk}"] == {
        "id": f"source-{sources['wire'].pk}",
        "type": "source",
        "title": "Wire",
        "outlet": "wire",
        "reliability": "F",
    }
    evidence = [edge for edge in graph["edges"] if edge["type"] == "evidence"]
    assert {(e["source"], e["target"], e["stance"]) for e in evidence} == {
        (f"claim-{claims['residents'].pk}", f"claim-{claims['convoy'].pk}", "corroborates"),
        (f"claim-{claims['analysts'].pk}", f"claim-{claims['convoy'].pk}", "qualifies"),
        (f"claim-{claims['denial'].pk}", f"claim-{claims['peskov'].pk}", "denies"),
    }
    assert sum(edge["type"] == "in_source" for edge in graph["edges"]) == 5


def test_claim_neighbourhood_by_depth(analyst_api, corpus):
    claims = corpus["claims"]
    zero = _by_id(analyst_api.get(f"/api/graph/?claim={claims['convoy'].pk}&depth=0").json())
    assert {key for key in zero if key.startswith("claim-")} == {f"claim-{claims['convoy'].pk}"}
    one = analyst_api.get(f"/api/graph/?claim={claims['convoy'].pk}&depth=1").json()
    assert {key for key in _by_id(one) if key.startswith("claim-")} == {
        f"claim-{claims[name].pk}" for name in ("convoy", "residents", "analysts")
    }
    assert len([e for e in one["edges"] if e["type"] == "evidence"]) == 2
    peskov = _by_id(analyst_api.get(f"/api/graph/?claim={claims['peskov'].pk}").json())
    # Status counts every link of a claim, even one outside the scope.
    assert peskov[f"claim-{claims['peskov'].pk}"]["status"] == "contested"
    assert analyst_api.get("/api/graph/?claim=9999").status_code == 404
    assert analyst_api.get(f"/api/graph/?claim={claims['peskov'].pk}&depth=9").status_code == 400


def test_source_and_search_scopes(analyst_api, corpus):
    claims, sources = corpus["claims"], corpus["sources"]
    weekly = _by_id(analyst_api.get(f"/api/graph/?source={sources['weekly'].pk}").json())
    assert {key for key in weekly if key.startswith("claim-")} == {
        f"claim-{claims['analysts'].pk}",
        f"claim-{claims['convoy'].pk}",
    }
    found = _by_id(analyst_api.get("/api/graph/?q=fake").json())
    assert {key for key in found if key.startswith("claim-")} == {
        f"claim-{claims['peskov'].pk}",
        f"claim-{claims['denial'].pk}",
    }
    assert analyst_api.get(f"/api/graph/?q=fake&source={sources['weekly'].pk}").status_code == 400
    assert analyst_api.get("/api/graph/?source=abc").status_code == 400


def test_graphml_loads_in_networkx_with_the_same_attributes(analyst_api, corpus):
    response = analyst_api.get("/api/graph/?format=graphml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/graphml+xml")
    graph = nx.read_graphml(io.BytesIO(response.content))
    as_json = analyst_api.get("/api/graph/").json()
    assert set(graph.nodes) == {node["id"] for node in as_json["nodes"]}
    assert graph.number_of_edges() == len(as_json["edges"])
    peskov = corpus["claims"]["peskov"]
    attributes = graph.nodes[f"claim-{peskov.pk}"]
    assert attributes["status"] == "contested" and attributes["speaker"] == "Peskov"
    assert attributes["source"] == peskov.source_id and attributes["type"] == "claim"
    assert graph.nodes[f"source-{peskov.source_id}"]["title"] == "Daily"
    stances = {data["stance"] for _, _, data in graph.edges(data=True) if data["type"] == "evidence"}
    assert stances == {"corroborates", "denies", "qualifies"}


def test_graphml_survives_control_characters(analyst_api, db):
    source = SourceFactory(text="A \x0b strange & <odd> claim. Another one.", title='Title "quoted" & <b>')
    claim_create(source=source, start=0, end=26)
    graph = nx.read_graphml(io.BytesIO(analyst_api.get("/api/graph/?format=graphml").content))
    assert graph.nodes[f"source-{source.pk}"]["title"] == 'Title "quoted" & <b>'


def _grow(n):
    sources = [SourceFactory(text=" ".join(f"Line {k} of batch {n}-{i}." for k in range(6))) for i in range(3)]
    made = []
    for source in sources:
        for k in range(6):
            phrase = f"Line {k} of batch {n}-{sources.index(source)}."
            start = source.text.index(phrase)
            made.append(claim_create(source=source, start=start, end=start + len(phrase)))
    for a, b in zip(made[:6], made[6:12], strict=True):
        evidence_link_create(claim=a, evidence_claim=b, stance="corroborates")
    for a, b in zip(made[:6], made[12:], strict=True):
        evidence_link_create(claim=a, evidence_claim=b, stance="denies")
    return made


@pytest.mark.parametrize("query", ["", "?format=graphml", "?q=Line", "?source={source}", "?claim={claim}&depth=3"])
def test_graph_query_count_does_not_grow(analyst_api, corpus, query, django_assert_num_queries):
    seed = _grow(1)
    url = "/api/graph/" + query.format(source=seed[0].source_id, claim=seed[0].pk)
    analyst_api.get(url)
    with CaptureQueriesContext(connection) as few:
        small = analyst_api.get(url)
    _grow(2)
    _grow(3)
    with django_assert_num_queries(len(few)):
        large = analyst_api.get(url)
    assert len(large.content) >= len(small.content)


def test_fast_json_writer_equals_the_plain_form(corpus):
    import orjson

    from api.renderers import graph_edges, graph_json, graph_nodes
    from evidence.graph import graph_corpus

    graph = graph_corpus()
    assert orjson.loads(graph_json(graph)) == {"nodes": graph_nodes(graph), "edges": graph_edges(graph)}
