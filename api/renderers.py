"""Formats other than plain JSON: the graph as GraphML, claims as CSV, anchors as JSON-LD."""

import csv
import io
import re
from xml.sax.saxutils import escape, quoteattr

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer

from evidence.graph import ClaimGraph

# Characters XML 1.0 cannot carry at all; a source text may contain them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

GRAPHML_NODE_KEYS = ("type", "text", "source", "status", "speaker", "title", "outlet", "reliability")
GRAPHML_EDGE_KEYS = ("type", "stance")


# Claim ids are integers and stances are held to Stance.values by a database constraint, so these
# two edge shapes need no escaping and are written with a format string: the whole-corpus graph has
# tens of thousands of them, and this is several times faster than building a dict for each.
_IN_SOURCE_EDGE = '{"type":"in_source","source":"claim-%d","target":"source-%d"}'
_EVIDENCE_EDGE = '{"id":"evidence-%d","type":"evidence","source":"claim-%d","target":"claim-%d","stance":"%s"}'


def graph_nodes(graph: ClaimGraph) -> list[dict]:
    status = graph.status
    return [
        {"id": f"source-{pk}", "type": "source", "title": title, "outlet": outlet, "reliability": reliability}
        for pk, title, outlet, reliability in graph.sources
    ] + [
        {"id": f"claim-{pk}", "type": "claim", "text": text, "source": source, "status": status(pk), "speaker": speaker}
        for pk, text, source, speaker in graph.claims
    ]


def graph_edges(graph: ClaimGraph) -> list[dict]:
    return [
        {"type": "in_source", "source": f"claim-{pk}", "target": f"source-{source}"}
        for pk, _, source, _ in graph.claims
    ] + [
        {
            "id": f"evidence-{pk}",
            "type": "evidence",
            "source": f"claim-{evidence_claim}",
            "target": f"claim-{claim}",
            "stance": stance,
        }
        for pk, claim, evidence_claim, stance in graph.links
    ]


def graph_json(graph: ClaimGraph) -> bytes:
    """`{"nodes": [...], "edges": [...]}`, the same as orjson.dumps of graph_nodes/graph_edges."""
    edges = ",".join(
        [_IN_SOURCE_EDGE % (pk, source) for pk, _, source, _ in graph.claims]
        + [_EVIDENCE_EDGE % (pk, evidence_claim, claim, stance) for pk, claim, evidence_claim, stance in graph.links]
    )
    return b'{"nodes":' + orjson.dumps(graph_nodes(graph)) + b',"edges":[' + edges.encode() + b"]}"


class GraphJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, ClaimGraph):
            return graph_json(data)
        return super().render(data, accepted_media_type, renderer_context)


def _xml_text(value) -> str:
    return escape(_XML_ILLEGAL.sub("", str(value)))


def graphml_document(graph: ClaimGraph) -> str:
    """The graph as GraphML, every node and edge attribute declared as a string or int key."""
    key_types = {"source": "int"}
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n']
    for name in GRAPHML_NODE_KEYS:
        parts.append(
            f'<key id="n_{name}" for="node" attr.name="{name}" attr.type="{key_types.get(name, "string")}"/>\n'
        )
    for name in GRAPHML_EDGE_KEYS:
        parts.append(f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="string"/>\n')
    parts.append('<graph id="corroborate" edgedefault="directed">\n')
    for node in graph_nodes(graph):
        data = "".join(
            f'<data key="n_{name}">{_xml_text(node[name])}</data>'
            for name in GRAPHML_NODE_KEYS
            if node.get(name) not in (None, "")
        )
        parts.append(f"<node id={quoteattr(node['id'])}>{data}</node>\n")
    for edge in graph_edges(graph):
        data = "".join(
            f'<data key="e_{name}">{_xml_text(edge[name])}</data>' for name in GRAPHML_EDGE_KEYS if edge.get(name)
        )
        edge_id = f" id={quoteattr(edge['id'])}" if "id" in edge else ""
        parts.append(
            f"<edge{edge_id} source={quoteattr(edge['source'])} target={quoteattr(edge['target'])}>{data}</edge>\n"
        )
    parts.append("</graph>\n</graphml>\n")
    return "".join(parts)


class GraphMLRenderer(BaseRenderer):
    media_type = "application/graphml+xml"
    format = "graphml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, ClaimGraph):
            return graphml_document(data).encode("utf-8")
        # An error (e.g. a 400) keeps its JSON body.
        return orjson.dumps(data)


class CSVRenderer(BaseRenderer):
    """Claims as CSV. The list view streams the full export itself; this renders anything else
    (an error, for instance) as a small table."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        buffer = io.StringIO()
        if rows and isinstance(rows[0], dict):
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")


class WebAnnotationRenderer(JSONRenderer):
    """JSON-LD. The profile parameter is added by the view: DRF's negotiation would refuse to match
    `*/*` against a media type that carries parameters."""

    media_type = "application/ld+json"
    format = "jsonld"


WEB_ANNOTATION_CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
