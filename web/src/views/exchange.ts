// Exchange with partner forces, for liaison officers (docs/exchange.md): send a package of
// records to a partner (downloaded as a file to pass on), import a partner's package, and run a
// partner's hit/no-hit filter against this force's persons. The server signs, encrypts, checks
// and audits; this page only sends the forms and the files.
import { call, type Binary } from "../api";
import { href } from "../app";
import { h, mount, type Child } from "../dom";
import { t, type Key } from "../i18n";
import type { ViewContext } from "../main";
import { errorBox } from "./common";

const HANDLING = ["H0", "H1", "H2", "H3"];

interface Imported {
  package: string;
  from: string;
  handling: string;
  purpose: string;
  entities: number;
  ids: string[];
}

interface MatchAnswer {
  from: string;
  persons: number;
  hits: { id: string; caption: string; matched: string[] }[];
}

// The kind of key that matched, as the server names it, in the UI's language.
const MATCHED: Record<string, Key> = {
  identifier: "exchange.matched.identifier",
  "name+birth date": "exchange.matched.name",
  "name sound+birth date": "exchange.matched.sound",
};
function matchedKind(kind: string): string {
  return kind in MATCHED ? t(MATCHED[kind]) : kind;
}

function section(id: string, title: string, help: string, form: HTMLElement, result: HTMLElement): HTMLElement {
  return h("section", { class: "exchange", id }, h("h2", null, title), h("p", { class: "help" }, help), form, result);
}

function exportSection(): HTMLElement {
  const to = h("input", { id: "export-to", required: true, autocomplete: "off" });
  const ids = h("textarea", { id: "export-ids", required: true, rows: 3, spellcheck: "false" });
  const handling = h("select", { id: "export-handling" }, HANDLING.map((c) => h("option", { value: c, selected: c === "H2" }, c + " · " + t(("exchange.handling." + c) as Key))));
  const purpose = h("input", { id: "export-purpose", required: true, minlength: 3, maxlength: 500, autocomplete: "off" });
  const result = h("div", { id: "export-result", "aria-live": "polite" });
  const submit = h("button", { type: "submit", id: "export-submit", class: "primary" }, t("exchange.export.submit"));
  const form = h(
    "form",
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        mount(result);
        try {
          const body = { to: to.value.trim(), ids: ids.value.split(/[\s,]+/).filter(Boolean), handling: handling.value, purpose: purpose.value.trim() };
          const answer = await call<Binary>("/api/v1/exchange/export", { method: "POST", body, consult: true, binary: true });
          const id = answer.headers.get("X-Ura-Package") ?? "package";
          const link = document.createElement("a");
          link.href = URL.createObjectURL(answer.blob); // a blob: URL of this page, not data
          link.download = id + ".urax";
          link.click();
          window.setTimeout(() => URL.revokeObjectURL(link.href), 60000);
          mount(result, h("p", { class: "ok", role: "status", id: "export-done" }, t("exchange.export.done", { id, n: answer.headers.get("X-Ura-Entities") ?? "0" })));
        } catch (err) {
          mount(result, errorBox(err));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("label", { for: "export-to" }, t("exchange.partner")),
    to,
    h("label", { for: "export-ids" }, t("exchange.export.ids")),
    ids,
    h("label", { for: "export-handling" }, t("exchange.export.handling")),
    handling,
    h("label", { for: "export-purpose" }, t("exchange.export.purpose")),
    purpose,
    submit,
  );
  return section("exchange-export", t("exchange.export.title"), t("exchange.export.help"), form, result);
}

// A section that sends a chosen file to `path` and shows what `show` makes of the answer.
function uploadSection<T>(name: "import" | "match", path: string, show: (answer: T) => Child[]): HTMLElement {
  const file = h("input", { id: name + "-file", type: "file", required: true });
  const result = h("div", { id: name + "-result", "aria-live": "polite" });
  const submit = h("button", { type: "submit", id: name + "-submit", class: "primary" }, t(`exchange.${name}.submit`));
  const form = h(
    "form",
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return;
        submit.disabled = true;
        mount(result);
        try {
          mount(result, show(await call<T>(path, { method: "POST", bytes: await chosen.arrayBuffer(), consult: true })));
        } catch (err) {
          mount(result, errorBox(err));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("label", { for: name + "-file" }, t(`exchange.${name}.file`)),
    file,
    submit,
  );
  return section("exchange-" + name, t(`exchange.${name}.title`), t(`exchange.${name}.help`), form, result);
}

function importSection(): HTMLElement {
  return uploadSection<Imported>("import", "/api/v1/exchange/import", (answer) => [
    h("p", { class: "ok", role: "status", id: "import-done" }, t("exchange.import.done", { from: answer.from, n: answer.entities, handling: answer.handling })),
    h("ul", { id: "import-ids" }, answer.ids.map((id) => h("li", null, h("a", { href: href(["entity", id]) }, id)))),
  ]);
}

function matchSection(): HTMLElement {
  return uploadSection<MatchAnswer>("match", "/api/v1/exchange/match", (answer) => [
    h("p", { role: "status", id: "match-done" }, t("exchange.match.done", { from: answer.from, n: answer.hits.length, persons: answer.persons })),
    h(
      "ul",
      { id: "match-hits" },
      answer.hits.map((hit) => h("li", null, h("a", { href: href(["entity", hit.id]) }, hit.caption), " ", h("small", null, hit.matched.map(matchedKind).join(", ")))),
    ),
  ]);
}

export function exchangeView(ctx: ViewContext): void {
  document.title = t("exchange.title") + " · Ura";
  mount(ctx.main, h("h1", null, t("exchange.title")), exportSection(), importSection(), matchSection());
}
