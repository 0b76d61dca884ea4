// The dossier: the handling code and classification first, properties grouped by kind with
// each value's source, record and date, the linked entities (clickable), and the history on
// request (a consultation of its own, audited like the dossier).
import { href, load } from "../app";
import { h, mount, type Child } from "../dom";
import { formatTime, t, tName, type Key } from "../i18n";
import type { ViewContext } from "../main";
import type { Dossier, HistoryAnswer, SourcedValue } from "../types";
import { errorBox, loading, markingBadge, propertyName } from "./common";

// Property types -> the group they are shown in, in this order.
const GROUPS: [Key, string[]][] = [
  ["dossier.group.names", ["name"]],
  ["dossier.group.identifiers", ["identifier", "checksum"]],
  ["dossier.group.dates", ["date"]],
  ["dossier.group.contact", ["phone", "email", "address", "url"]],
  ["dossier.group.places", ["country", "language", "gender"]],
  ["dossier.group.related", ["entity"]],
];
const OTHER: Key = "dossier.group.other";

export async function dossierView(ctx: ViewContext, id: string): Promise<void> {
  mount(ctx.main, loading());
  let dossier: Dossier;
  try {
    dossier = await load<Dossier>("/api/v1/entities/" + encodeURIComponent(id), true);
  } catch (err) {
    mount(ctx.main, h("p", null, h("a", { href: href(["search"]) }, "← " + t("dossier.back"))), errorBox(err));
    return;
  }
  document.title = (dossier.caption || dossier.id) + " · Ura";
  const m = dossier.marking;
  const historyBox = h("section", { class: "history", "aria-labelledby": "history-title" },
    h("h2", { id: "history-title" }, t("dossier.history")),
    h("button", { type: "button", id: "history-load", onclick: () => void showHistory(historyBox, id) }, t("dossier.historyShow", { n: dossier.versions })),
  );
  mount(
    ctx.main,
    h("p", { class: "back" }, h("a", { href: href(["search"]), onclick: (e: Event) => { if (window.history.length > 1) { e.preventDefault(); window.history.back(); } } }, "← " + t("dossier.back"))),
    h(
      "div",
      { class: "dossier-head" },
      h("h1", { id: "dossier-title", tabindex: -1 }, dossier.caption || dossier.id),
      h("span", { class: "schema" }, tName("schema", dossier.schema)),
      h("code", { class: "id" }, dossier.id),
      h(
        "span",
        { class: "dossier-actions" },
        h("a", { class: "button", id: "dossier-network", href: href(["network", dossier.id]) }, t("dossier.network")),
        h("a", { class: "button", id: "dossier-timeline", href: href(["timeline", dossier.id]) }, t("dossier.timeline")),
      ),
    ),
    h(
      "div",
      { class: "marking-banner cls-" + m.classification.replace(/[^a-z]/g, ""), id: "dossier-marking", role: "note" },
      h("div", null, h("span", { class: "k" }, t("marking.handling")), h("strong", { class: "big" }, m.handling), h("small", null, tName("handling", m.handling))),
      h("div", null, h("span", { class: "k" }, t("marking.classification")), h("strong", { class: "big" }, tName("classification", m.classification))),
      h("div", null, h("span", { class: "k" }, t("marking.grading")), h("strong", null, m.reliability + String(m.accuracy))),
      m.cases && m.cases.length ? h("div", null, h("span", { class: "k" }, t("marking.cases")), h("strong", null, m.cases.join(", "))) : null,
    ),
    h("div", { class: "dossier-body" }, h("div", { class: "properties" }, propertyGroups(dossier)), h("div", { class: "side" }, samePerson(dossier), links(dossier), historyBox)),
  );
  ctx.main.querySelector("h1")?.focus();
}

function propertyGroups(d: Dossier): Child[] {
  const byGroup = new Map<Key, [string, Dossier["properties"][string]][]>();
  for (const [name, prop] of Object.entries(d.properties)) {
    const group = GROUPS.find(([, types]) => types.includes(prop.type))?.[0] ?? OTHER;
    if (!byGroup.has(group)) byGroup.set(group, []);
    byGroup.get(group)!.push([name, prop]);
  }
  const order = [...GROUPS.map(([k]) => k), OTHER];
  return order
    .filter((k) => byGroup.has(k))
    .map((k) =>
      h(
        "section",
        { class: "group" },
        h("h2", null, t(k)),
        h(
          "dl",
          null,
          byGroup.get(k)!.map(([name, prop]) => [
            h("dt", null, propertyName(name, prop.label)),
            h("dd", null, h("ul", { class: "values" }, prop.values.map(valueItem))),
          ]),
        ),
      ),
    );
}

function valueItem(v: SourcedValue): HTMLElement {
  return h(
    "li",
    null,
    h("span", { class: "value" }, v.value),
    h("span", { class: "prov" }, t("dossier.provenance", { source: v.source, record: v.record, date: formatTime(v.ingested_us) })),
  );
}

// The same person's records in the other systems, as entity resolution grouped them.
function samePerson(d: Dossier): HTMLElement | null {
  if (!d.person) return null;
  const records = d.person.records;
  return h(
    "section",
    { class: "links person", "aria-labelledby": "person-title" },
    h("h2", { id: "person-title" }, t("dossier.person", { n: records.length })),
    h("p", { class: "muted" }, t("dossier.personNote", { id: d.person.id })),
    records.length === 0
      ? h("p", { class: "muted" }, t("dossier.personNone"))
      : h(
          "ul",
          { id: "dossier-person" },
          records.map((r) =>
            h(
              "li",
              null,
              h("a", { href: href(["entity", r.id]) }, r.caption || r.id, " ", h("span", { class: "schema" }, tName("schema", r.schema))),
              " ",
              h("span", { class: "prov" }, r.sources.join(", ")),
            ),
          ),
        ),
    d.person.truncated ? h("p", { class: "muted" }, t("dossier.personMore")) : null,
  );
}

function links(d: Dossier): HTMLElement {
  return h(
    "section",
    { class: "links", "aria-labelledby": "links-title" },
    h("h2", { id: "links-title" }, t("dossier.links", { n: d.links.length })),
    d.links.length === 0
      ? h("p", { class: "muted" }, t("dossier.noLinks"))
      : h(
          "ul",
          { id: "dossier-links" },
          d.links.map((l) =>
            h(
              "li",
              null,
              h("span", { class: "rel" }, tName("schema", l.via.schema), l.via.caption && l.via.caption !== l.via.id && l.via.caption !== l.via.schema ? " · " + l.via.caption : ""),
              " ",
              l.other
                ? h("a", { href: href(["entity", l.other.id]) }, l.other.caption || l.other.id, " ", h("span", { class: "schema" }, tName("schema", l.other.schema)))
                : h("a", { href: href(["entity", l.via.id]) }, l.via.caption || l.via.id),
            ),
          ),
        ),
  );
}

async function showHistory(box: HTMLElement, id: string): Promise<void> {
  const title = box.querySelector("h2")!;
  mount(box, title, loading());
  try {
    const answer = await load<HistoryAnswer>("/api/v1/entities/" + encodeURIComponent(id) + "/history", true);
    let previous: Record<string, string[]> = {};
    const items = answer.versions.map((v) => {
      const now: Record<string, string[]> = {};
      for (const [name, values] of Object.entries(v.entity.properties)) now[name] = values.map((x) => x.v);
      const changes: Child[] = [];
      for (const name of new Set([...Object.keys(previous), ...Object.keys(now)])) {
        const before = new Set(previous[name] ?? []);
        const after = new Set(now[name] ?? []);
        for (const value of after) if (!before.has(value)) changes.push(h("li", { class: "added" }, "+ " + propertyName(name) + ": " + value));
        for (const value of before) if (!after.has(value)) changes.push(h("li", { class: "removed" }, "− " + propertyName(name) + ": " + value));
      }
      previous = now;
      return h(
        "li",
        null,
        h("div", null, h("strong", null, formatTime(v.written)), " ", markingBadge(v.entity.marking.handling, v.entity.marking.classification), " ", h("small", null, "#" + v.sequence)),
        changes.length ? h("ul", { class: "changes" }, changes) : h("p", { class: "muted" }, t("dossier.noChange")),
      );
    });
    mount(box, title, h("ol", { class: "versions", id: "history-versions" }, items));
  } catch (err) {
    mount(box, title, errorBox(err));
  }
}
