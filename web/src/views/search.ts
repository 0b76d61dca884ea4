// Search: results as one types (debounced), filters (schema, source system, record date), the
// field that matched, and the records of the same schema and name folded into one result as the
// API groups them.
import { href, load } from "../app";
import { h, mount, debounce } from "../dom";
import { t, tName } from "../i18n";
import type { ViewContext } from "../main";
import type { SearchResult } from "../types";
import { errorBox, propertyName } from "./common";

const SOURCES = ["", "border", "cases", "vehicles", "wanted", "fiu"];
const SCHEMATA = ["", "Person", "Company", "Organization", "LegalEntity", "Vehicle", "Passport", "Identification", "Address", "BankAccount", "Payment", "Case", "BorderCrossing", "Arrest", "Incident", "CourtCase"];
const DEBOUNCE_MS = 150;

export function searchView(ctx: ViewContext): void {
  document.title = t("search.title") + " · Ura";
  let sequence = 0;
  const input = h("input", {
    id: "search-q",
    type: "search",
    value: ctx.route.params.get("q") ?? "",
    placeholder: t("search.placeholder"),
    "aria-label": t("search.label"),
    autocomplete: "off",
    spellcheck: "false",
  });
  const schema = h(
    "select",
    { id: "search-schema", "aria-label": t("search.schema") },
    SCHEMATA.map((s) => h("option", { value: s, selected: s === (ctx.route.params.get("schema") ?? "") }, s ? tName("schema", s) : t("search.allSchemata"))),
  );
  const source = h(
    "select",
    { id: "search-source", "aria-label": t("search.source") },
    SOURCES.map((s) => h("option", { value: s, selected: s === (ctx.route.params.get("source") ?? "") }, s ? s : t("search.allSources"))),
  );
  const dateInput = (id: string, label: string) =>
    h("input", { id, type: "date", value: ctx.route.params.get(id.replace("search-", "")) ?? "", "aria-label": label, title: label });
  const from = dateInput("search-from", t("search.from"));
  const to = dateInput("search-to", t("search.to"));
  const status = h("p", { class: "status", id: "search-status", "aria-live": "polite" });
  const results = h("ol", { class: "results", id: "search-results" });

  async function run(typedAt: number): Promise<void> {
    const query = input.value.trim();
    const filters: Record<string, string> = { schema: schema.value };
    for (const [name, el] of [["source", source], ["from", from], ["to", to]] as const) {
      if (el.value) filters[name] = el.value;
    }
    const params: Record<string, string> = { q: input.value, ...filters };
    window.history.replaceState(null, "", href(["search"], params));
    const mine = ++sequence;
    if (!query) {
      results.replaceChildren();
      status.textContent = t("search.hint");
      return;
    }
    status.textContent = t("common.loading");
    try {
      const path = "/api/v1/search?" + new URLSearchParams({ q: query, ...filters, limit: "30" }).toString();
      const answer = await load<{ results: SearchResult[] }>(path, true);
      if (mine !== sequence) return; // a later keystroke's answer wins
      mount(results, answer.results.map(resultItem));
      status.textContent = answer.results.length === 0 ? t("search.none") : t("search.count", { n: answer.results.length });
      // From the keystroke to the results on screen (the debounce included), for the browser test.
      results.dataset.ms = String(Math.round(performance.now() - typedAt));
      results.dataset.query = query;
    } catch (err) {
      if (mine !== sequence) return;
      results.replaceChildren();
      status.replaceChildren(errorBox(err));
    }
  }
  const later = debounce((typedAt: number) => void run(typedAt), DEBOUNCE_MS);
  input.addEventListener("input", () => later(performance.now()));
  for (const el of [schema, source, from, to]) el.addEventListener("change", () => void run(performance.now()));

  mount(
    ctx.main,
    h("h1", null, t("search.title")),
    h(
      "form",
      { class: "search", role: "search", onsubmit: (e: Event) => { e.preventDefault(); void run(performance.now()); } },
      input,
      schema,
      source,
      from,
      to,
    ),
    status,
    results,
  );
  input.focus();
  void run(performance.now());
}

function resultItem(r: SearchResult): HTMLElement {
  const others = r.same_caption ?? [];
  return h(
    "li",
    { class: "result" },
    h(
      "a",
      { href: href(["entity", r.id]), class: "result-link" },
      h("span", { class: "caption" }, r.caption || r.id),
      " ",
      h("span", { class: "schema" }, tName("schema", r.schema)),
    ),
    r.matched && r.matched.property
      ? h("div", { class: "matched" }, h("span", { class: "label" }, t("search.matched", { field: propertyName(r.matched.property) }) + " "), h("mark", null, r.matched.value))
      : null,
    others.length > 0
      ? h(
          "details",
          { class: "same" },
          h("summary", null, t("search.same", { n: others.length })),
          h("ul", null, others.map((id) => h("li", null, h("a", { href: href(["entity", id]) }, r.caption + " · " + id)))),
        )
      : null,
  );
}
