import { ApiError } from "../api";
import { h } from "../dom";
import { t, tName } from "../i18n";

// An error as the user should read it (the server's message is in English and may name the problem).
export function errorBox(err: unknown): HTMLElement {
  if (err instanceof ApiError) {
    const key =
      err.status === 403 ? "error.forbidden" : err.status === 404 ? "error.notfound" : err.status === 0 ? "error.network" : err.code === "justification_required" ? "justification.missing" : "error.generic";
    return h("div", { class: "error", role: "alert" }, t(key), err.status > 0 && err.message ? h("small", null, " (" + err.message + ")") : null);
  }
  return h("div", { class: "error", role: "alert" }, t("error.generic"));
}

export function loading(): HTMLElement {
  return h("p", { class: "loading", "aria-live": "polite" }, t("common.loading"));
}

export function markingBadge(handling: string, classification: string): HTMLElement {
  return h(
    "span",
    { class: "marking cls-" + classification.replace(/[^a-z]/g, "") },
    h("span", { class: "handling" }, handling),
    " ",
    tName("classification", classification),
  );
}

// A property's name in the UI's language; else the schema's (English) label; else its name.
export function propertyName(name: string, label?: string): string {
  const translated = tName("property", name);
  return translated !== name ? translated : label || name;
}
