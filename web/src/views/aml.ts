// AML alerts (GET /api/v1/aml/alerts, those the user may see): the list, and one alert
// (GET /api/v1/aml/alerts/ID) with its transaction flow drawn -- accounts as nodes, payments
// as arrows with amount and date -- and the payments in a table. The payments come from their
// own records (GET /api/v1/entities/ID, each consultation audited like a dossier).
import { href, load } from "../app";
import { q } from "../api";
import { h, mount } from "../dom";
import { lang, t, tName } from "../i18n";
import type { ViewContext } from "../main";
import type { AmlAlert, Dossier } from "../types";
import { downloadPng, makeChart, schemaColour, type ElementDefinition } from "./chart";
import { errorBox, loading } from "./common";

const TYPOLOGIES = ["", "structuring", "cycle", "scatter_gather", "stack", "bipartite", "gather_scatter", "fan_out", "fan_in"];
const MAX_PAYMENTS = 200; // drawn; an alert with more lists the rest by id

function euros(value: number, currency = "EUR"): string {
  const text = value.toLocaleString(lang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return text + " " + currency;
}

export async function amlListView(ctx: ViewContext): Promise<void> {
  const typology = ctx.route.params.get("typology") ?? "";
  document.title = t("aml.title") + " · Ura";
  const filter = h(
    "select",
    { id: "aml-typology", "aria-label": t("aml.typology"), onchange: (e: Event) => window.location.assign(href(["aml"], { typology: (e.target as HTMLSelectElement).value })) },
    TYPOLOGIES.map((ty) => h("option", { value: ty, selected: ty === typology }, ty ? tName("aml.typology", ty) : t("aml.allTypologies"))),
  );
  const body = h("div", null, loading());
  mount(ctx.main, h("h1", null, t("aml.title")), h("p", { class: "muted" }, t("aml.help")), h("form", { class: "filters" }, h("label", null, t("aml.typology"), filter)), body);
  try {
    const answer = await load<{ alerts: AmlAlert[] }>("/api/v1/aml/alerts?" + new URLSearchParams({ typology, limit: "500" }).toString(), true);
    if (answer.alerts.length === 0) return mount(body, h("p", { id: "aml-none" }, t("aml.none")));
    mount(
      body,
      h("p", { class: "status" }, t("aml.count", { n: answer.alerts.length })),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { id: "aml-table" },
          h("thead", null, h("tr", null, [t("aml.alert"), t("aml.typology"), t("aml.score"), t("aml.dates"), t("aml.total"), t("aml.payments")].map((c) => h("th", { scope: "col" }, c)))),
          h(
            "tbody",
            null,
            answer.alerts.map((a) =>
              h(
                "tr",
                null,
                h("td", null, h("a", { href: href(["aml", a.id]) }, a.id)),
                h("td", null, tName("aml.typology", a.typology)),
                h("td", null, a.score.toFixed(2)),
                h("td", null, a.first_date + " – " + a.last_date),
                h("td", { class: "num" }, euros(a.total_eur)),
                h("td", { class: "num" }, a.transactions.length),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (err) {
    mount(body, errorBox(err));
  }
}

interface Flow {
  id: string;
  payer?: { id: string; caption: string; schema: string };
  beneficiary?: { id: string; caption: string; schema: string };
  amount: string;
  currency: string;
  date: string;
}

function flowOf(d: Dossier): Flow {
  const first = (name: string) => d.properties[name]?.values[0]?.value ?? "";
  const end = (property: string, fallback: string) => {
    const link = d.links.find((l) => l.direction === "out" && l.property === property) ?? d.links.find((l) => l.direction === "out" && l.property === fallback);
    return link?.other;
  };
  return {
    id: d.id,
    payer: end("payerAccount", "payer"),
    beneficiary: end("beneficiaryAccount", "beneficiary"),
    amount: first("amountEur") || first("amount"),
    currency: first("amountEur") ? "EUR" : first("currency") || "EUR",
    date: first("date") || first("startDate"),
  };
}

// Runs `fn` over `items`, `width` at a time.
async function each<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

export async function amlAlertView(ctx: ViewContext, alertId: string): Promise<void> {
  mount(ctx.main, loading());
  const back = h("p", { class: "back" }, h("a", { href: href(["aml"]) }, "← " + t("aml.back")));
  let alert: AmlAlert;
  try {
    alert = await load<AmlAlert>("/api/v1/aml/alerts/" + q(alertId), true);
  } catch (err) {
    mount(ctx.main, back, errorBox(err)); // 404 too: not stored, or not for this user
    return;
  }
  document.title = alert.id + " · Ura";
  const status = h("p", { class: "status", id: "aml-status", "aria-live": "polite" }, t("common.loading"));
  const chartBox = h("div", { id: "aml-chart", class: "chart", role: "img", "aria-label": t("aml.flowLabel", { id: alert.id }) });
  const table = h("div", { class: "table-wrap" });
  const a = alert;
  mount(
    ctx.main,
    back,
    h("h1", { id: "aml-title", tabindex: -1 }, tName("aml.typology", a.typology), " ", h("code", null, a.id)),
    h(
      "dl",
      { class: "alert-facts" },
      h("dt", null, t("aml.score")),
      h("dd", null, a.score.toFixed(2)),
      h("dt", null, t("aml.dates")),
      h("dd", null, a.first_date + " – " + a.last_date),
      h("dt", null, t("aml.total")),
      h("dd", null, euros(a.total_eur)),
      h("dt", null, t("aml.payments")),
      h("dd", null, a.transactions.length),
      h("dt", null, t("aml.explanation")),
      h("dd", { id: "aml-explanation" }, a.explanation),
    ),
    h("h2", null, t("aml.flow")),
    status,
    chartBox,
    h("p", null, h("button", { type: "button", id: "aml-png", onclick: async () => { if (cy) status.textContent = t("network.saved", { kb: Math.max(1, Math.round((await downloadPng(cy, a.id + ".png")) / 1024)) }); } }, t("network.png"))),
    h("h2", null, t("aml.paymentsTitle")),
    table,
  );
  ctx.main.querySelector("h1")?.focus();
  let cy: Awaited<ReturnType<typeof makeChart>> | null = null;
  const ids = a.transactions.slice(0, MAX_PAYMENTS);
  const flows = await each(ids, 6, async (id) => {
    try {
      return flowOf(await load<Dossier>("/api/v1/entities/" + q(id), true));
    } catch {
      return null; // not visible now, or gone: left out of the drawing
    }
  });
  const shown = flows.filter((f): f is Flow => f !== null).sort((x, y) => x.date.localeCompare(y.date));
  const elements: ElementDefinition[] = [];
  const accounts = new Set<string>();
  for (const f of shown) {
    for (const end of [f.payer, f.beneficiary]) {
      if (!end || accounts.has(end.id)) continue;
      accounts.add(end.id);
      elements.push({ group: "nodes", data: { id: end.id, label: end.caption || end.id, colour: schemaColour(end.schema) } });
    }
    if (f.payer && f.beneficiary) {
      elements.push({ group: "edges", data: { id: "pay|" + f.id, source: f.payer.id, target: f.beneficiary.id, label: euros(Number(f.amount), f.currency) + " · " + f.date }, classes: "directed" });
    }
  }
  mount(
    table,
    h(
      "table",
      { id: "aml-payments" },
      h("thead", null, h("tr", null, [t("aml.date"), t("aml.from"), t("aml.to"), t("aml.amount"), t("aml.payment")].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        null,
        shown.map((f) =>
          h(
            "tr",
            null,
            h("td", null, f.date),
            h("td", null, f.payer ? h("a", { href: href(["entity", f.payer.id]) }, f.payer.caption || f.payer.id) : "—"),
            h("td", null, f.beneficiary ? h("a", { href: href(["entity", f.beneficiary.id]) }, f.beneficiary.caption || f.beneficiary.id) : "—"),
            h("td", { class: "num" }, euros(Number(f.amount), f.currency)),
            h("td", null, h("a", { href: href(["entity", f.id]) }, f.id)),
          ),
        ),
      ),
    ),
  );
  const missing = a.transactions.length - shown.length;
  status.textContent = t("aml.drawn", { n: shown.length, accounts: accounts.size }) + (missing > 0 ? " " + t("aml.notDrawn", { n: missing }) : "");
  try {
    cy = await makeChart(chartBox, elements, a.typology === "cycle" ? "circle" : "breadthfirst");
    chartBox.dataset.edges = String(cy.edges().length); // for the browser test
    chartBox.dataset.ready = "1";
  } catch (err) {
    chartBox.replaceChildren(errorBox(err));
  }
}
