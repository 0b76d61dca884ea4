// Integrity: the latest signed tree head and the last verification; auditors and
// administrators can start a verification (the server verifies the whole journal, keyless).
import { call } from "../api";
import { mayVerify } from "../app";
import { h, mount } from "../dom";
import { formatTime, t, tName, type Key } from "../i18n";
import type { ViewContext } from "../main";
import { errorBox, loading } from "./common";

interface Head {
  store_id: string;
  tree_size: number;
  root_hash: string;
  timestamp: string;
  key_id: string;
  signature: string;
  public_key: string;
}
interface VerifyState {
  state: string; // never, intact, damaged
  started?: string;
  seconds?: number;
  segments?: number;
  bytes?: number;
  tree_size?: number;
  root?: string;
  heads_checked?: number;
  by?: string;
  problem?: string;
}

function table(rows: [Key, string | number | undefined][]): HTMLElement {
  return h(
    "table",
    { class: "kv" },
    h("tbody", null, rows.filter(([, v]) => v !== undefined).map(([k, v]) => h("tr", null, h("th", { scope: "row" }, t(k)), h("td", null, h("code", null, String(v)))))),
  );
}

export async function integrityView(ctx: ViewContext): Promise<void> {
  document.title = t("integrity.title") + " · Ura";
  mount(ctx.main, h("h1", null, t("integrity.title")), loading());
  const headBox = h("section", { id: "integrity-head" });
  const verifyBox = h("section", { id: "integrity-verify" });
  mount(ctx.main, h("h1", null, t("integrity.title")), headBox, verifyBox);
  try {
    const head = await call<Head>("/api/v1/head");
    mount(
      headBox,
      h("h2", null, t("integrity.head")),
      table([
        ["integrity.treeSize", head.tree_size],
        ["integrity.signedAt", formatTime(head.timestamp)],
        ["integrity.root", head.root_hash],
        ["integrity.keyId", head.key_id],
        ["integrity.publicKey", head.public_key],
        ["integrity.storeId", head.store_id],
      ]),
    );
  } catch (err) {
    mount(headBox, h("h2", null, t("integrity.head")), errorBox(err));
  }
  const showState = (state: VerifyState) => {
    const button = mayVerify(ctx.me)
      ? h(
          "button",
          {
            type: "button",
            id: "verify-run",
            class: "primary",
            onclick: async () => {
              button!.disabled = true;
              button!.textContent = t("integrity.running");
              try {
                showState(await call<VerifyState>("/api/v1/verify", { method: "POST" }));
              } catch (err) {
                verifyBox.appendChild(errorBox(err));
                button!.disabled = false;
                button!.textContent = t("integrity.run");
              }
            },
          },
          t("integrity.run"),
        )
      : null;
    mount(
      verifyBox,
      h("h2", null, t("integrity.verify")),
      h("p", { class: "verify-state state-" + state.state, id: "verify-state", role: "status" }, tName("verify", state.state)),
      state.state === "never"
        ? null
        : table([
            ["integrity.started", state.started ? formatTime(state.started) : undefined],
            ["integrity.by", state.by],
            ["integrity.seconds", state.seconds?.toFixed(2)],
            ["integrity.treeSize", state.tree_size],
            ["integrity.segments", state.segments],
            ["integrity.headsChecked", state.heads_checked],
            ["integrity.root", state.root],
            ["integrity.problem", state.problem],
          ]),
      button,
    );
  };
  try {
    showState(await call<VerifyState>("/api/v1/verify"));
  } catch (err) {
    mount(verifyBox, h("h2", null, t("integrity.verify")), errorBox(err));
  }
}
