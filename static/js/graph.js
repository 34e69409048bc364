// The claim/evidence graph. Claims sit inside their source's box; large graphs get a fixed grid
// layout (force layouts are too slow past a few hundred nodes).
(() => {
  "use strict";
  const container = document.getElementById("graph");
  if (!container || typeof cytoscape !== "function") return;
  const status = document.getElementById("graph-status");
  const FORCE_LAYOUT_LIMIT = 80;
  const SPACING = 80;
  const X_SPACING = 150;

  const rollupColour = { corroborated: "#2e8b57", contested: "#c0392b", "single-source": "#8a94a6" };
  const stanceColour = { corroborates: "#2e8b57", denies: "#c0392b", qualifies: "#c98a00" };
  const short = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

  function elements(data) {
    const withClaims = new Set(data.claims.map((row) => row[2]));
    const nodes = data.sources
      .filter(([id]) => withClaims.has(id)).map(([id, title, outlet]) => ({
      group: "nodes",
      data: { id: `source-${id}`, label: short(outlet || title, 40), kind: "source" },
    }));
    for (const [id, text, source, status] of data.claims) {
      nodes.push({
        group: "nodes",
        data: {
          id: `claim-${id}`,
          parent: `source-${source}`,
          label: short(text, 60),
          kind: "claim",
          colour: rollupColour[status] || "#8a94a6",
          status,
        },
      });
    }
    const edges = data.links.map(([id, claim, evidence, stance]) => ({
      group: "edges",
      data: { id: `link-${id}`, source: `claim-${evidence}`, target: `claim-${claim}`, colour: stanceColour[stance], stance },
    }));
    return [...nodes, ...edges];
  }

  function gridPositions(data) {
    // Sources in a grid of boxes, each source's claims in a small grid inside its box.
    const bySource = new Map();
    for (const [id, , source] of data.claims) {
      if (!bySource.has(source)) bySource.set(source, []);
      bySource.get(source).push(`claim-${id}`);
    }
    const positions = {};
    const boxes = Math.ceil(Math.sqrt(bySource.size || 1));
    const widest = Math.max(1, ...[...bySource.values()].map((ids) => Math.ceil(Math.sqrt(ids.length))));
    const cellX = widest * X_SPACING + X_SPACING;
    const cellY = widest * SPACING + 2 * SPACING;
    let index = 0;
    for (const ids of bySource.values()) {
      const side = Math.max(1, Math.ceil(Math.sqrt(ids.length)));
      const x0 = (index % boxes) * cellX;
      const y0 = Math.floor(index / boxes) * cellY;
      ids.forEach((id, i) => {
        positions[id] = { x: x0 + (i % side) * X_SPACING, y: y0 + Math.floor(i / side) * SPACING };
      });
      index += 1;
    }
    return positions;
  }

  async function load() {
    const query = new URLSearchParams(window.location.search);
    for (const [key, value] of [...query.entries()]) if (!value) query.delete(key);
    const response = await fetch(`${container.dataset.url}?${query}`, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      status.textContent = "The graph could not be loaded: check the filters.";
      return;
    }
    const data = await response.json();
    const claims = data.claims.length;
    const large = claims > FORCE_LAYOUT_LIMIT;
    const linked = new Set(data.links.flatMap(([, claim, evidence]) => [claim, evidence]));
    // A force layout strings unlinked claims out in a line: a grid inside each source reads better.
    const gridded = large || linked.size < claims * 0.7;
    const positions = gridded ? gridPositions(data) : null;
    const cy = cytoscape({
      container,
      elements: elements(data),
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      minZoom: 0.05,
      maxZoom: 3,
      style: [
        {
          selector: "node[kind = 'claim']",
          style: {
            "background-color": "data(colour)",
            label: "data(label)",
            "font-size": 9,
            "text-wrap": "wrap",
            "text-max-width": 120,
            "min-zoomed-font-size": 7,
            width: 18,
            height: 18,
            color: "#1d2430",
          },
        },
        {
          selector: "node[kind = 'source']",
          style: {
            "background-color": "#eef2f8",
            "border-color": "#b8c2d3",
            "border-width": 1,
            label: "data(label)",
            "text-valign": "top",
            "font-size": 12,
            "font-weight": "bold",
            color: "#33415c",
            shape: "round-rectangle",
            padding: 14,
          },
        },
        {
          selector: "edge",
          style: {
            width: 2,
            "line-color": "data(colour)",
            "target-arrow-color": "data(colour)",
            "target-arrow-shape": "triangle",
            "curve-style": large ? "haystack" : "bezier",
          },
        },
        { selector: "edge[stance = 'denies']", style: { "line-style": "dashed" } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#1f5fbf" } },
      ],
      layout: gridded
        ? { name: "preset", positions: (node) => positions[node.id()] }
        : {
            name: "cose",
            animate: false,
            randomize: true,
            nodeRepulsion: () => 12000,
            idealEdgeLength: () => 80,
            nestingFactor: 1.2,
            gravity: 0.6,
            componentSpacing: 60,
            nodeOverlap: 40,
            padding: 20,
          },
    });
    if (cy.zoom() > 1.1) {
      cy.zoom(1.1);
      cy.center();
    }
    cy.on("tap", "node[kind = 'claim']", (event) => {
      window.location.href = `${container.dataset.claimUrl}${event.target.id().replace("claim-", "")}/`;
    });
    status.textContent = `${claims} claims, ${data.links.length} evidence links, ${data.sources.length} sources.`;
    container.dataset.ready = "1";
    window.corroborateGraph = cy;
  }

  load();
})();
