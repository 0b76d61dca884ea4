// The audit journal for auditors: filter by user, entity and action. Reading it is itself an
// audited consultation (X-Justification).
import { href, load } from "../app";
import { h, mount } from "../dom";
import { formatTime, t } from "../i18n";
import type { ViewContext } from "../main";
import type { AuditRecord } from "../types";
import { errorBox, loading } from "./common";

const ACTIONS = ["", "login", "logout", "lockout", "search", "view", "history", "audit-read", "head", "verify", "verify-status", "ingest", "user-list", "user-add", "user-disable", "user-enable", "user-unlock", "user-role", "user-cases", "user-password", "user-api-token"];

export async function auditView(ctx: ViewContext): Promise<void> {
  document.title = t("audit.title") + " · Ura";
  const p = ctx.route.params;
  const user = h("input", { id: "audit-user", name: "user", value: p.get("user") ?? "", autocomplete: "off" });
  const entity = h("input", { id: "audit-entity", name: "entity", value: p.get("entity") ?? "", autocomplete: "off" });
  const action = h("select", { id: "audit-action", name: "action" }, ACTIONS.map((a) => h("option", { value: a, selected: a === (p.get("action") ?? "") }, a || t("audit.anyAction"))));
  const out = h("div", { id: "audit-out" });
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (e: Event) => {
        e.preventDefault();
        window.location.hash = href(["audit"], { user: user.value.trim(), entity: entity.value.trim(), action: action.value, run: "1" });
      },
    },
    h("label", null, t("audit.user"), user),
    h("label", null, t("audit.entity"), entity),
    h("label", null, t("audit.action"), action),
    h("button", { type: "submit", class: "primary", id: "audit-search" }, t("audit.search")),
  );
  mount(ctx.main, h("h1", null, t("audit.title")), form, out);
  // Nothing is read until asked: every read is recorded.
  if (p.get("run") !== "1") {
    mount(out, h("p", { class: "muted" }, t("audit.hint")));
    return;
  }
  mount(out, loading());
  try {
    const query = new URLSearchParams({ user: p.get("user") ?? "", entity: p.get("entity") ?? "", action: p.get("action") ?? "", limit: "500" });
    const answer = await load<{ records: AuditRecord[]; truncated: boolean }>("/api/v1/audit?" + query.toString(), true);
    const records = [...answer.records].reverse(); // newest first
    mount(
      out,
      h("p", { class: "status" }, t("audit.count", { n: records.length }), answer.truncated ? " " + t("audit.truncated") : ""),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { class: "audit", id: "audit-table" },
          h("thead", null, h("tr", null, ["audit.time", "audit.user", "audit.action", "audit.outcome", "audit.objects", "audit.justification", "audit.detail"].map((k) => h("th", { scope: "col" }, t(k as never))))),
          h(
            "tbody",
            null,
            records.map((r) =>
              h(
                "tr",
                { class: "outcome-" + (r.outcome || "ok").replace(/[^a-z-]/g, "") },
                h("td", null, formatTime(r.time_us)),
                h("td", null, r.user),
                h("td", null, r.action),
                h("td", null, r.outcome),
                h("td", { class: "objects" }, (r.objects ?? []).slice(0, 5).join(", "), r.objects_total > 5 ? " … (" + r.objects_total + ")" : ""),
                h("td", null, r.justification),
                h("td", { class: "detail" }, r.detail),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (err) {
    mount(out, errorBox(err));
  }
}
