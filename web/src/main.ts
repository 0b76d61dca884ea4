// Ura's investigator web UI: the shell (log-in, navigation, language, justification) and the
// router. Pages live in views/. The network and AML flow charts load cytoscape.js on first use
// (a chunk of its own).
import "./style.css";
import { ApiError, justification, login, logout, me, setJustification, token, whenExpired, whenJustificationNeeded, type Me } from "./api";
import { clearCache, href, isAdmin, isAnalyst, isAuditor, isLiaison, mayConsult, parseRoute, type Route } from "./app";
import { h, mount } from "./dom";
import { LANGS, lang, setLang, t, type Key, type Lang } from "./i18n";
import { auditView } from "./views/audit";
import { errorBox } from "./views/common";
import { dossierView } from "./views/dossier";
import { exchangeView } from "./views/exchange";
import { reviewView } from "./views/review";
import { integrityView } from "./views/integrity";
import { searchView } from "./views/search";
import { timelineView } from "./views/timeline";
import { usersView } from "./views/users";

const root = document.getElementById("app")!;
const USER_KEY = "ura.user"; // the last user name typed (not a secret), kept for the log-in form
let current: Me | null = null;
let notice: Key | null = null;

export interface ViewContext {
  me: Me;
  route: Route;
  main: HTMLElement;
  rerender: () => void;
}

function homeOf(user: Me): string {
  if (mayConsult(user)) return href(["search"]);
  if (isAuditor(user)) return href(["audit"]);
  if (isAdmin(user)) return href(["users"]);
  return href(["integrity"]);
}

function languageSwitch(): HTMLElement {
  const names: Record<Lang, string> = { sq: "Shqip", tr: "Türkçe", en: "English" };
  const select = h(
    "select",
    {
      id: "lang",
      "aria-label": t("lang.label"),
      onchange: (e: Event) => {
        setLang((e.target as HTMLSelectElement).value as Lang);
        render();
      },
    },
    LANGS.map((l) => h("option", { value: l, selected: l === lang() }, names[l])),
  );
  return h("label", { class: "lang" }, h("span", { class: "visually-hidden" }, t("lang.label")), select);
}

// The justification dialog: every consultation needs one; it is remembered for this tab.
// Consultations that ask while the dialog is open wait for the same answer.
let asking: Promise<string> | null = null;
function askJustification(): Promise<string> {
  if (!asking) asking = openJustificationDialog().finally(() => (asking = null));
  return asking;
}

function openJustificationDialog(): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = h("input", {
      id: "justification-input",
      name: "justification",
      required: true,
      minlength: 3,
      maxlength: 500,
      autocomplete: "off",
      value: justification(),
    });
    const dialog = h(
      "dialog",
      { class: "justification", "aria-labelledby": "justification-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "justification-title" }, t("justification.title")),
        h("p", null, t("justification.help")),
        h("label", { for: "justification-input" }, t("justification.label")),
        input,
        h(
          "div",
          { class: "buttons" },
          h("button", { type: "submit", value: "ok", class: "primary" }, t("justification.ok")),
          h("button", { type: "button", value: "cancel", onclick: () => dialog.close("cancel") }, t("common.cancel")),
        ),
      ),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      const text = input.value.trim();
      if (dialog.returnValue !== "cancel" && text.length >= 3) {
        setJustification(text);
        const shown = document.getElementById("justification-current");
        if (shown) shown.textContent = text; // not a redraw: that would consult again
        resolve(text);
      } else {
        reject(new ApiError(400, "justification_required", t("justification.missing")));
      }
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    input.focus();
  });
}

function loginView(): void {
  document.title = t("login.title") + " · Ura";
  const error = h("p", { class: "error", role: "alert", id: "login-error" });
  if (notice) error.textContent = t(notice);
  const user = h("input", { id: "login-user", name: "user", autocomplete: "username", required: true, value: window.sessionStorage.getItem(USER_KEY) ?? "" });
  const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const totp = h("input", { id: "login-totp", name: "totp", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: 6 });
  const submit = h("button", { type: "submit", class: "primary" }, t("login.submit"));
  const form = h(
    "form",
    {
      class: "login",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        error.textContent = "";
        window.sessionStorage.setItem(USER_KEY, user.value);
        try {
          await login(user.value, password.value, totp.value.trim());
          password.value = "";
          notice = null;
          await start();
        } catch (err) {
          const status = err instanceof ApiError ? err.status : 0;
          error.textContent = t(status === 423 ? "login.locked" : status === 401 ? "login.failed" : "error.network");
          submit.disabled = false;
          password.select();
        }
      },
    },
    h("h1", null, "Ura"),
    h("p", { class: "subtitle" }, t("login.subtitle")),
    error,
    h("label", { for: "login-user" }, t("login.user")),
    user,
    h("label", { for: "login-password" }, t("login.password")),
    password,
    h("label", { for: "login-totp" }, t("login.totp")),
    totp,
    submit,
  );
  mount(root, h("div", { class: "login-page" }, h("div", { class: "login-top" }, languageSwitch()), form));
  (user.value ? password : user).focus();
}

function navigation(user: Me, route: Route): HTMLElement {
  const items: [string, Key][] = [];
  if (mayConsult(user)) items.push(["search", "nav.search"], ["aml", "nav.aml"]);
  if (isLiaison(user)) items.push(["exchange", "nav.exchange"]);
  if (isAnalyst(user)) items.push(["review", "nav.review"]);
  items.push(["integrity", "nav.integrity"]);
  if (isAuditor(user)) items.push(["audit", "nav.audit"]);
  if (isAdmin(user)) items.push(["users", "nav.users"]);
  const here = ["entity", "network", "timeline"].includes(route.path[0]) ? "search" : route.path[0];
  return h(
    "nav",
    { "aria-label": t("nav.label") },
    h(
      "ul",
      null,
      items.map(([path, key]) =>
        h("li", null, h("a", { href: href([path]), id: "nav-" + path, "aria-current": here === path ? "page" : null }, t(key))),
      ),
    ),
  );
}

function shell(user: Me, route: Route): HTMLElement {
  const why = justification();
  const header = h(
    "header",
    { class: "top" },
    h("a", { class: "skip", href: "#main" }, t("nav.skip")),
    h("span", { class: "brand" }, "Ura"),
    navigation(user, route),
    h(
      "div",
      { class: "session" },
      mayConsult(user)
        ? h(
            "button",
            { type: "button", id: "justification-change", class: "link", title: t("justification.change"), onclick: () => askJustification().catch(() => {}) },
            t("justification.short") + ": ",
            h("span", { id: "justification-current" }, why || t("justification.none")),
          )
        : null,
      h("span", { class: "who", id: "who" }, user.name + " · " + t(("role." + user.role) as Key)),
      languageSwitch(),
      h(
        "button",
        {
          type: "button",
          id: "logout",
          onclick: async () => {
            await logout().catch(() => {});
            // The next user of this tab starts afresh: no page, no justification of another's.
            current = null;
            clearCache();
            setJustification("");
            window.history.replaceState(null, "", "#/");
            loginView();
          },
        },
        t("nav.logout"),
      ),
    ),
  );
  return header;
}

function render(): void {
  if (!current) return loginView();
  const user = current;
  const route = parseRoute(window.location.hash);
  if (route.path.length === 0) {
    window.location.replace(homeOf(user));
    return;
  }
  const main = h("main", { id: "main", tabindex: -1 });
  mount(root, shell(user, route), main);
  const ctx: ViewContext = { me: user, route, main, rerender: render };
  const page = route.path[0];
  const failed = (err: unknown) => mount(main, errorBox(err)); // a chunk that did not load
  if (page === "search" && mayConsult(user)) return searchView(ctx);
  if (page === "entity" && route.path[1] && mayConsult(user)) return void dossierView(ctx, route.path[1]);
  // The chart pages are chunks of their own, with cytoscape: fetched when first opened.
  if (page === "network" && route.path[1] && mayConsult(user)) return void import("./views/network").then((m) => m.networkView(ctx, route.path[1]), failed);
  if (page === "timeline" && route.path[1] && mayConsult(user)) return void timelineView(ctx, route.path[1]);
  if (page === "aml" && mayConsult(user)) return void import("./views/aml").then((m) => (route.path[1] ? m.amlAlertView(ctx, route.path[1]) : m.amlListView(ctx)), failed);
  if (page === "exchange" && isLiaison(user)) return exchangeView(ctx);
  if (page === "review" && isAnalyst(user)) return void reviewView(ctx);
  if (page === "integrity") return void integrityView(ctx);
  if (page === "audit" && isAuditor(user)) return void auditView(ctx);
  if (page === "users" && isAdmin(user)) return void usersView(ctx);
  mount(main, h("h1", null, t("notfound.title")), h("p", null, h("a", { href: homeOf(user) }, t("notfound.home"))));
}

async function start(): Promise<void> {
  if (!token()) return loginView();
  try {
    current = await me();
  } catch {
    current = null;
    return loginView();
  }
  render();
}

whenExpired(() => {
  if (!current) return; // already back at log-in (several requests can meet the same expiry)
  // Back to log-in; the page (and what was typed into its address: the search) is kept in the
  // URL and comes back after logging in again.
  current = null;
  clearCache();
  notice = "login.expired";
  loginView();
});
whenJustificationNeeded(askJustification);
window.addEventListener("hashchange", () => {
  clearCache();
  render();
});
setLang(lang());
start();
