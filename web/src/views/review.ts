// The resolution review queue, for analysts: the pairs of records entity resolution is unsure
// of, side by side, with the weight each field gave the score, and "same person" / "different
// persons" buttons that record the analyst's judgement (it wins over the model from the next
// run). The server re-runs the model for the list and shows only pairs whose both records the
// analyst may see; every list and every judgement is audited.
import { call } from "../api";
import { href, load, forget } from "../app";
import { h, mount } from "../dom";
import { t } from "../i18n";
import type { ViewContext } from "../main";
import { errorBox } from "./common";

interface ReviewRecord {
  id: string;
  given: string;
  family: string;
  birth_dates: string[];
  identifiers: string[];
  source: string;
  record: string;
}

interface ReviewPair {
  a: string;
  b: string;
  probability: number;
  weight: number;
  names_swapped: boolean;
  contributions: { field: string; level: string; weight: number }[];
  explanation: string;
  records: { a: ReviewRecord; b: ReviewRecord };
}

const PATH = "/api/v1/resolve/review?limit=20";

export async function reviewView(ctx: ViewContext): Promise<void> {
  document.title = t("review.title") + " · Ura";
  const status = h("p", { class: "status", id: "review-status", "aria-live": "polite" }, t("review.running"));
  const list = h("ol", { class: "review", id: "review-pairs" });
  mount(ctx.main, h("h1", null, t("review.title")), h("p", { class: "muted" }, t("review.help")), status, list);
  try {
    const answer = await load<{ uncertain: number; pairs: ReviewPair[] }>(PATH, true);
    status.textContent = answer.pairs.length === 0 ? t("review.none") : t("review.count", { n: answer.pairs.length });
    mount(list, answer.pairs.map(pairItem));
  } catch (err) {
    status.replaceChildren(errorBox(err));
  }
}

function recordCard(r: ReviewRecord): HTMLElement {
  const name = [r.given, r.family].filter(Boolean).join(" ") || r.id;
  return h(
    "div",
    { class: "record" },
    h("a", { href: href(["entity", r.id]), class: "caption" }, name),
    h("dl", null,
      h("dt", null, t("review.birth")), h("dd", null, r.birth_dates.join(", ") || "–"),
      h("dt", null, t("review.identifiers")), h("dd", null, r.identifiers.join(", ") || "–"),
      h("dt", null, t("review.source")), h("dd", null, r.source + " · " + r.record)),
  );
}

function pairItem(p: ReviewPair): HTMLElement {
  const outcome = h("p", { class: "outcome", "aria-live": "polite" });
  const decide = async (decision: "same" | "different", buttons: HTMLButtonElement[]) => {
    for (const b of buttons) b.disabled = true;
    try {
      await call("/api/v1/resolve/judgements", { method: "POST", consult: true, body: { a: p.a, b: p.b, decision } });
      forget(PATH);
      outcome.textContent = decision === "same" ? t("review.savedSame") : t("review.savedDifferent");
      item.classList.add("decided");
    } catch (err) {
      for (const b of buttons) b.disabled = false;
      outcome.replaceChildren(errorBox(err));
    }
  };
  const same = h("button", { type: "button", class: "primary decide-same" }, t("review.same")) as HTMLButtonElement;
  const different = h("button", { type: "button", class: "decide-different" }, t("review.different")) as HTMLButtonElement;
  same.addEventListener("click", () => void decide("same", [same, different]));
  different.addEventListener("click", () => void decide("different", [same, different]));
  const item = h(
    "li",
    { class: "pair" },
    h("div", { class: "score" }, t("review.probability", { p: Math.round(p.probability * 100) })),
    h("div", { class: "records" }, recordCard(p.records.a), recordCard(p.records.b)),
    h("ul", { class: "weights" },
      p.contributions.filter((c) => c.level !== "missing").map((c) =>
        h("li", { class: c.weight >= 0 ? "for" : "against" }, c.field + " · " + c.level + ": " + (c.weight >= 0 ? "+" : "") + c.weight.toFixed(1)),
      ),
    ),
    h("div", { class: "buttons" }, same, different),
    outcome,
  );
  return item;
}
