// An entity's events in date order (GET /api/v1/graph/timeline): links and payments at it,
// crossings and arrests naming it, and the same through what it holds (its accounts' payments,
// its vehicles' crossings), each with the other party when there is one.
import { href, load } from "../app";
import { q } from "../api";
import { h, mount } from "../dom";
import { t, tName } from "../i18n";
import type { ViewContext } from "../main";
import type { Dossier, TimelineAnswer } from "../types";
import { errorBox, loading } from "./common";

export async function timelineView(ctx: ViewContext, id: string): Promise<void> {
  mount(ctx.main, loading());
  let answer: TimelineAnswer;
  let dossier: Dossier;
  try {
    [answer, dossier] = await Promise.all([
      load<TimelineAnswer>(`/api/v1/graph/timeline?id=${q(id)}`, true),
      load<Dossier>("/api/v1/entities/" + q(id), true),
    ]);
  } catch (err) {
    mount(ctx.main, h("p", null, h("a", { href: href(["entity", id]) }, "← " + t("network.back"))), errorBox(err));
    return;
  }
  const name = dossier.caption || id;
  document.title = t("timeline.title", { name }) + " · Ura";
  mount(
    ctx.main,
    h("p", { class: "back" }, h("a", { href: href(["entity", id]) }, "← " + t("network.back"))),
    h("h1", { id: "timeline-title", tabindex: -1 }, t("timeline.title", { name })),
    h("p", { class: "status" }, t("timeline.count", { n: answer.events.length })),
    answer.events.length === 0
      ? h("p", { class: "muted", id: "timeline-none" }, t("timeline.none"))
      : h(
          "ol",
          { class: "timeline", id: "timeline-events" },
          answer.events.map((e) =>
            h(
              "li",
              { "data-date": e.date },
              h("time", { datetime: e.date }, e.date),
              h(
                "div",
                { class: "event" },
                h("span", { class: "schema" }, tName("schema", e.schema)),
                " ",
                h("a", { href: href(["entity", e.id]) }, e.caption || e.id),
                e.other ? [" — ", h("a", { href: href(["entity", e.other.id]) }, e.other.caption || e.other.id), " ", h("span", { class: "schema" }, tName("schema", e.other.schema))] : null,
                e.through ? h("div", { class: "prov" }, t("timeline.through", { id: e.through_caption || e.through })) : null,
              ),
            ),
          ),
        ),
  );
  ctx.main.querySelector("h1")?.focus();
}
