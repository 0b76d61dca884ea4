// Users, for administrators: the list; add a user; disable, enable, unlock; role and
// clearance; need-to-know cases. Each change is journaled and audited by the server.
import { call, q } from "../api";
import { h, mount } from "../dom";
import { formatTime, t, tName } from "../i18n";
import type { ViewContext } from "../main";
import type { UserInfo } from "../types";
import { errorBox, loading } from "./common";

const ROLES = ["investigator", "analyst", "liaison", "auditor", "admin", "service", "backup"];
const CLEARANCES = ["unclassified", "restricted", "confidential", "secret"];

function select(id: string, options: string[], prefix: string, selected: string, label: string): HTMLSelectElement {
  return h("select", { id, "aria-label": label }, options.map((o) => h("option", { value: o, selected: o === selected }, tName(prefix, o))));
}

export async function usersView(ctx: ViewContext): Promise<void> {
  document.title = t("users.title") + " · Ura";
  const message = h("div", { id: "users-message", "aria-live": "polite" });
  const list = h("div", { id: "users-list" }, loading());
  const refresh = async () => {
    try {
      const answer = await call<{ users: UserInfo[] }>("/api/v1/users");
      mount(list, usersTable(answer.users, ctx, message, refresh));
    } catch (err) {
      mount(list, errorBox(err));
    }
  };
  mount(ctx.main, h("h1", null, t("users.title")), message, addForm(message, refresh), list);
  await refresh();
}

async function change(message: HTMLElement, refresh: () => Promise<void>, path: string, method: string, body?: unknown): Promise<void> {
  try {
    await call(path, { method, body });
    mount(message, h("p", { class: "ok", role: "status" }, t("users.saved")));
    await refresh();
  } catch (err) {
    mount(message, errorBox(err));
  }
}

function addForm(message: HTMLElement, refresh: () => Promise<void>): HTMLElement {
  const name = h("input", { id: "new-name", required: true, autocomplete: "off" });
  const role = select("new-role", ROLES, "role", "investigator", t("users.role"));
  const clearance = select("new-clearance", CLEARANCES, "classification", "restricted", t("users.clearance"));
  const password = h("input", { id: "new-password", type: "password", autocomplete: "new-password" });
  return h(
    "details",
    { class: "add-user" },
    h("summary", null, t("users.add")),
    h(
      "form",
      {
        class: "filters",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const body: Record<string, string> = { name: name.value.trim(), role: role.value, clearance: clearance.value };
          if (password.value) body.password = password.value;
          password.value = "";
          try {
            const added = await call<UserInfo & { api_token?: string }>("/api/v1/users", { method: "POST", body });
            // A service account's token is in this answer only: show it once, as text.
            mount(message, h("p", { class: "ok", role: "status" }, added.api_token ? t("users.apiToken", { name: added.name, token: added.api_token }) : t("users.saved")));
            name.value = "";
            await refresh();
          } catch (err) {
            mount(message, errorBox(err));
          }
        },
      },
      h("label", null, t("users.name"), name),
      h("label", null, t("users.role"), role),
      h("label", null, t("users.clearance"), clearance),
      h("label", null, t("users.password"), password),
      h("button", { type: "submit", class: "primary" }, t("users.addButton")),
    ),
  );
}

function usersTable(users: UserInfo[], ctx: ViewContext, message: HTMLElement, refresh: () => Promise<void>): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "users" },
      h("thead", null, h("tr", null, ["users.name", "users.role", "users.clearance", "users.cases", "users.state", "users.created", "users.actions"].map((k) => h("th", { scope: "col" }, t(k as never))))),
      h(
        "tbody",
        null,
        users.map((u) => {
          const base = "/api/v1/users/" + q(u.name);
          const role = select("role-" + u.name, ROLES, "role", u.role, t("users.role"));
          const clearance = select("clearance-" + u.name, CLEARANCES, "classification", u.clearance, t("users.clearance"));
          const cases = h("input", { value: u.cases.join(", "), "aria-label": t("users.cases"), class: "cases" });
          const self = u.name === ctx.me.name;
          return h(
            "tr",
            { class: u.disabled ? "disabled" : "" },
            h("th", { scope: "row" }, u.name, u.mfa ? h("small", { class: "mfa" }, " TOTP") : null),
            h("td", null, role),
            h("td", null, clearance),
            h("td", null, cases),
            h("td", null, u.disabled ? t("users.disabled") : t("users.active")),
            h("td", null, formatTime(u.created)),
            h(
              "td",
              { class: "actions" },
              h("button", { type: "button", disabled: self, onclick: () => change(message, refresh, base + "/role", "PUT", { role: role.value, clearance: clearance.value }) }, t("users.saveRole")),
              h("button", { type: "button", onclick: () => change(message, refresh, base + "/cases", "PUT", { cases: cases.value.split(",").map((c) => c.trim()).filter(Boolean) }) }, t("users.saveCases")),
              h("button", { type: "button", disabled: self, onclick: () => change(message, refresh, base + (u.disabled ? "/enable" : "/disable"), "POST") }, u.disabled ? t("users.enable") : t("users.disable")),
              h("button", { type: "button", onclick: () => change(message, refresh, base + "/unlock", "POST") }, t("users.unlock")),
            ),
          );
        }),
      ),
    ),
  );
}
