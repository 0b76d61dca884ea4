// The network view: an entity and its neighbours as a chart (cytoscape.js, loaded on first
// use). Expand the selected entity's neighbours (all links, or one type), find a path between
// two entities, colour the chart's communities, mark its brokers, save it as PNG. Every
// entity is also listed in the selects and in a text list of links, so the page works with the
// keyboard alone. The server shows only what the user may see (and audits each consultation).
import { href, load } from "../app";
import { q } from "../api";
import { h, mount } from "../dom";
import { t, tName } from "../i18n";
import type { ViewContext } from "../main";
import type { GraphEdge, GraphNode, Neighbourhood, PathAnswer } from "../types";
import { COMMUNITY_COLOURS, downloadPng, makeChart, runLayout, schemaColour, type Core, type ElementDefinition } from "./chart";
import { errorBox, loading, propertyName } from "./common";

// Link types offered for expanding (the chart's own types are added as they appear).
const EDGE_TYPES = ["Family", "Associate", "Ownership", "Payment", "CaseMembership", "same-person"];
const DIRECTED = new Set(["Payment", "Ownership"]);
const EXPAND_MAX = 60;

export function edgeLabel(e: GraphEdge): string {
  const type = e.type;
  const name = type === "same-person" ? t("network.samePerson") : type.startsWith("same:") ? t("network.sameValue", { what: type.slice(5) }) : type.startsWith("ref:") ? propertyName(type.slice(4)) : tName("schema", type);
  return e.from_date ? name + " · " + e.from_date : name;
}

function edgeId(e: GraphEdge): string {
  return [e.from, e.type, e.to, e.via ?? ""].join("|");
}

function nodeLabel(n: GraphNode): string {
  return (n.caption || n.id) + " (" + tName("schema", n.schema) + ")";
}

export async function networkView(ctx: ViewContext, id: string): Promise<void> {
  mount(ctx.main, loading());
  let first: Neighbourhood;
  try {
    first = await load<Neighbourhood>(`/api/v1/graph/neighbours?id=${q(id)}&hops=1&max_nodes=${EXPAND_MAX}`, true);
  } catch (err) {
    mount(ctx.main, h("p", null, h("a", { href: href(["entity", id]) }, "← " + t("network.back"))), errorBox(err));
    return;
  }
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const seedCaption = first.nodes.find((n) => n.id === id)?.caption || id;
  document.title = t("network.title", { name: seedCaption }) + " · Ura";

  const status = h("p", { class: "status", id: "net-status", "aria-live": "polite" });
  const nodeSelect = h("select", { id: "net-node", "aria-label": t("network.selected") });
  const fromSelect = h("select", { id: "net-from", "aria-label": t("network.pathFrom") });
  const toSelect = h("select", { id: "net-to", "aria-label": t("network.pathTo") });
  const typeSelect = h("select", { id: "net-type", "aria-label": t("network.expandType") });
  const linkList = h("ul", { id: "net-links" });
  const brokerList = h("ol", { id: "net-brokers" });
  const chartBox = h("div", { id: "net-chart", class: "chart", role: "img", "aria-label": t("network.chartLabel", { name: seedCaption }) });
  const openLink = h("a", { id: "net-open", href: href(["entity", id]) }, t("network.open"));
  let cy: Core | null = null;
  let communitiesOn = false;
  let brokersOn = false;

  function fillSelects(): void {
    const list = [...nodes.values()].sort((a, b) => nodeLabel(a).localeCompare(nodeLabel(b)));
    for (const [select, fallback] of [[nodeSelect, id], [fromSelect, id], [toSelect, ""]] as [HTMLSelectElement, string][]) {
      const keep = select.value || fallback;
      mount(select, select === toSelect ? h("option", { value: "" }, t("network.choose")) : null, list.map((n) => h("option", { value: n.id, selected: n.id === keep }, nodeLabel(n))));
    }
    const types = new Set(EDGE_TYPES);
    for (const e of edges.values()) types.add(e.type);
    const keepType = typeSelect.value;
    mount(typeSelect, h("option", { value: "" }, t("network.allTypes")), [...types].map((ty) => h("option", { value: ty, selected: ty === keepType }, edgeLabel({ from: "", to: "", type: ty }))));
    mount(
      linkList,
      [...edges.values()].map((e) => h("li", null, nodes.get(e.from)?.caption || e.from, " — ", h("span", { class: "rel" }, edgeLabel(e)), " — ", nodes.get(e.to)?.caption || e.to)),
    );
  }

  // Adds what an answer showed; returns the definitions of the new elements.
  function merge(ns: GraphNode[], es: GraphEdge[]): ElementDefinition[] {
    const added: ElementDefinition[] = [];
    for (const n of ns) {
      if (nodes.has(n.id)) continue;
      nodes.set(n.id, n);
      added.push({ group: "nodes", data: { id: n.id, label: n.caption || n.id, colour: schemaColour(n.schema) }, classes: n.id === id ? "seed" : "" });
    }
    for (const e of es) {
      const key = edgeId(e);
      if (edges.has(key) || !nodes.has(e.from) || !nodes.has(e.to)) continue;
      edges.set(key, e);
      added.push({ group: "edges", data: { id: key, source: e.from, target: e.to, label: edgeLabel(e) }, classes: DIRECTED.has(e.type) ? "directed" : "" });
    }
    return added;
  }

  function select(nodeId: string): void {
    if (!cy) return;
    cy.$(":selected").unselect();
    const n = cy.getElementById(nodeId);
    n.select();
    nodeSelect.value = nodeId;
    openLink.setAttribute("href", href(["entity", nodeId]));
  }

  async function expand(): Promise<void> {
    const at = nodeSelect.value;
    if (!at || !cy) return;
    status.textContent = t("common.loading");
    const params = new URLSearchParams({ id: at, hops: "1", max_nodes: String(EXPAND_MAX) });
    if (typeSelect.value) params.append("type", typeSelect.value);
    try {
      const answer = await load<Neighbourhood>("/api/v1/graph/neighbours?" + params.toString(), true);
      const added = merge(answer.nodes, answer.edges);
      cy.add(added);
      if (added.length) runLayout(cy, "cose");
      fillSelects();
      select(at);
      const newNodes = added.filter((a) => a.group === "nodes").length;
      status.textContent = t("network.expanded", { n: newNodes, name: nodes.get(at)?.caption || at }) + (answer.truncated ? " " + t("network.truncated") : "");
      if (communitiesOn) communities(true);
      if (brokersOn) brokers(true);
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }

  async function findPath(): Promise<void> {
    if (!cy) return;
    const a = fromSelect.value;
    const b = toSelect.value;
    cy.elements().removeClass("path");
    if (!a || !b || a === b) {
      status.textContent = t("network.pathChoose");
      return;
    }
    status.textContent = t("common.loading");
    try {
      const answer = await load<PathAnswer>(`/api/v1/graph/path?id=${q(a)}&id=${q(b)}`, true);
      const path = answer.paths[0];
      if (!path) {
        status.textContent = t("network.noPath");
        return;
      }
      const added = merge(path.nodes, path.edges);
      cy.add(added);
      if (added.length) runLayout(cy, "cose");
      for (const n of path.nodes) cy.getElementById(n.id).addClass("path");
      for (const e of path.edges) cy.getElementById(edgeId(e)).addClass("path");
      fillSelects();
      chartBox.dataset.path = String(cy.$(".path").length); // for the browser test
      status.textContent = t("network.pathFound", { n: path.length }) + ": " + path.nodes.map((n) => n.caption || n.id).join(" → ");
      status.dataset.path = path.nodes.map((n) => n.id).join(" ");
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }

  // Communities of the chart (Markov clustering of what is drawn), each in its own colour.
  function communities(on: boolean): void {
    if (!cy) return;
    communitiesOn = on;
    communitiesButton.setAttribute("aria-pressed", String(on));
    cy.nodes().removeClass("community");
    if (!on) return;
    const clusters = cy.elements().markovClustering({ attributes: [() => 1] });
    const sizes = clusters.filter((c) => c.length > 1);
    clusters.forEach((c, i) => c.forEach((n) => void n.data("community", COMMUNITY_COLOURS[i % COMMUNITY_COLOURS.length])));
    cy.nodes().addClass("community");
    status.textContent = t("network.communities", { n: sizes.length });
  }

  // Brokers of the chart: the entities on most shortest paths between others (betweenness).
  function brokers(on: boolean): void {
    if (!cy) return;
    brokersOn = on;
    brokersButton.setAttribute("aria-pressed", String(on));
    cy.nodes().removeClass("broker");
    brokerList.replaceChildren();
    if (!on) return;
    const bc = cy.elements().betweennessCentrality({ directed: false });
    const ranked = cy
      .nodes()
      .map((n) => ({ id: n.id(), score: bc.betweennessNormalized(n) }))
      .filter((x) => x.score > 0)
      .sort((x, y) => y.score - x.score)
      .slice(0, 3);
    for (const b of ranked) cy.getElementById(b.id).addClass("broker");
    mount(brokerList, ranked.map((b) => h("li", null, h("a", { href: href(["entity", b.id]) }, nodes.get(b.id)?.caption || b.id), " ", h("small", null, t("network.score", { score: b.score.toFixed(2) })))));
    status.textContent = ranked.length ? t("network.brokers", { n: ranked.length }) : t("network.noBrokers");
  }

  const communitiesButton = h("button", { type: "button", id: "net-communities", "aria-pressed": "false", onclick: () => communities(!communitiesOn) }, t("network.communitiesButton"));
  const brokersButton = h("button", { type: "button", id: "net-brokers-button", "aria-pressed": "false", onclick: () => brokers(!brokersOn) }, t("network.brokersButton"));
  const pngButton = h(
    "button",
    {
      type: "button",
      id: "net-png",
      onclick: async () => {
        if (!cy) return;
        const bytes = await downloadPng(cy, "ura-network-" + id.replace(/[^A-Za-z0-9._-]/g, "_") + ".png");
        status.textContent = t("network.saved", { kb: Math.max(1, Math.round(bytes / 1024)) });
      },
    },
    t("network.png"),
  );

  mount(
    ctx.main,
    h("p", { class: "back" }, h("a", { href: href(["entity", id]) }, "← " + t("network.back"))),
    h("h1", { id: "net-title", tabindex: -1 }, t("network.title", { name: seedCaption })),
    h(
      "div",
      { class: "chart-tools" },
      h(
        "fieldset",
        null,
        h("legend", null, t("network.expandLegend")),
        h("label", { for: "net-node" }, t("network.selected")),
        nodeSelect,
        h("label", { for: "net-type" }, t("network.expandType")),
        typeSelect,
        h("button", { type: "button", id: "net-expand", class: "primary", onclick: () => void expand() }, t("network.expand")),
        openLink,
      ),
      h(
        "fieldset",
        null,
        h("legend", null, t("network.pathLegend")),
        h("label", { for: "net-from" }, t("network.pathFrom")),
        fromSelect,
        h("label", { for: "net-to" }, t("network.pathTo")),
        toSelect,
        h("button", { type: "button", id: "net-path", onclick: () => void findPath() }, t("network.pathFind")),
      ),
      h("fieldset", null, h("legend", null, t("network.analyse")), communitiesButton, brokersButton, pngButton),
    ),
    status,
    chartBox,
    h("p", { class: "muted" }, t("network.help")),
    h("section", { class: "links", "aria-labelledby": "net-brokers-title" }, h("h2", { id: "net-brokers-title" }, t("network.brokersTitle")), brokerList),
    h("details", { class: "chart-list" }, h("summary", null, t("network.linkList")), linkList),
  );
  const initial = merge(first.nodes, first.edges);
  fillSelects();
  try {
    cy = await makeChart(chartBox, initial, "cose");
  } catch (err) {
    chartBox.replaceChildren(errorBox(err));
    return;
  }
  select(id);
  status.textContent = t("network.shown", { n: nodes.size, e: edges.size }) + (first.truncated ? " " + t("network.truncated") : "");
  cy.on("tap", "node", (e) => {
    const nodeId = e.target.id() as string;
    select(nodeId);
    // A second entity tapped becomes the path's end.
    if (nodeId !== fromSelect.value) toSelect.value = nodeId;
  });
  cy.on("dbltap", "node", () => void expand());
  nodeSelect.addEventListener("change", () => select(nodeSelect.value));
  chartBox.dataset.ready = "1";
  ctx.main.querySelector("h1")?.focus();
}
