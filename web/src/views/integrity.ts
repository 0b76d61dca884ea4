// Integrity: the latest signed tree head, the last verification with the witnesses' verdicts,
// and the last backups the store has notes of; auditors and administrators can start a
// verification (the server verifies the whole journal, keyless, and checks the cosignatures).
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
  state: string; // never, intact, damaged, witness (the journal verifies; a witness check failed)
  started?: string;
  seconds?: number;
  segments?: number;
  bytes?: number;
  tree_size?: number;
  root?: string;
  heads_checked?: number;
  by?: string;
  problem?: string;
  witnesses?: Witness[];
}
interface Witness {
  public_key: string; // empty for a damaged cosignature file
  expected: boolean;
  ok: boolean;
  cosigned_size: number;
  cosigned: string;
  problem: string;
}
interface Backup {
  time: string;
  mode: string; // local or pull
  destination: string;
  run: number;
  nothing_new: boolean;
  tree_size: number;
  bytes_copied: number;
}
interface Backups {
  backups: Backup[];
  problems: string[];
}

function table(rows: [Key, string | number | undefined][]): HTMLElement {
  return h(
    "table",
    { class: "kv" },
    h("tbody", null, rows.filter(([, v]) => v !== undefined).map(([k, v]) => h("tr", null, h("th", { scope: "row" }, t(k)), h("td", null, h("code", null, String(v)))))),
  );
}

function witnessTable(witnesses: Witness[]): HTMLElement {
  if (witnesses.length === 0) return h("p", { class: "muted", id: "witnesses-none" }, t("integrity.witnessNone"));
  const head = (["integrity.witnessKey", "integrity.witnessExpected", "integrity.witnessState", "integrity.witnessCosigned", "integrity.witnessWhen"] as Key[]).map((k) =>
    h("th", { scope: "col" }, t(k)),
  );
  return h(
    "table",
    { class: "list", id: "witnesses" },
    h("thead", null, h("tr", null, head)),
    h(
      "tbody",
      null,
      witnesses.map((w) =>
        h(
          "tr",
          w.ok ? null : { class: "outcome-failed" },
          h("td", null, h("code", { title: w.public_key }, w.public_key ? w.public_key.slice(0, 16) + "…" : "—")),
          h("td", null, t(w.expected ? "integrity.yes" : "integrity.no")),
          h("td", { class: w.ok ? "state-intact" : "state-damaged" }, w.ok ? t("integrity.witnessOk") : w.problem),
          h("td", null, w.ok ? String(w.cosigned_size) : ""),
          h("td", null, w.cosigned ? formatTime(w.cosigned) : ""),
        ),
      ),
    ),
  );
}

function backupSection(box: HTMLElement, data: Backups, treeSize: number | undefined): void {
  const last = data.backups[0];
  const behind = last && treeSize !== undefined ? treeSize - last.tree_size : undefined;
  mount(
    box,
    h("h2", null, t("integrity.backups")),
    last
      ? h(
          "p",
          { id: "backup-behind", class: behind ? "warn" : "state-intact", role: "status" },
          behind ? t("integrity.backupBehind", { n: behind }) : t("integrity.backupCurrent"),
        )
      : h("p", { class: "warn", id: "backup-none", role: "status" }, t("integrity.backupNone")),
    data.backups.length
      ? h(
          "table",
          { class: "list", id: "backups" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              (["integrity.backupTime", "integrity.backupMode", "integrity.backupWhere", "integrity.backupRun", "integrity.treeSize", "integrity.backupBytes"] as Key[]).map((k) =>
                h("th", { scope: "col" }, t(k)),
              ),
            ),
          ),
          h(
            "tbody",
            null,
            data.backups.map((b) =>
              h(
                "tr",
                null,
                h("td", null, formatTime(b.time)),
                h("td", null, tName("backupMode", b.mode)),
                h("td", null, h("code", null, b.destination)),
                h("td", null, b.nothing_new ? t("integrity.backupNothingNew") : String(b.run)),
                h("td", null, String(b.tree_size)),
                h("td", null, String(b.bytes_copied)),
              ),
            ),
          ),
        )
      : null,
    data.problems.length
      ? h("div", { class: "error", role: "alert" }, h("strong", null, t("integrity.notesDamaged")), h("ul", null, data.problems.map((p) => h("li", null, p))))
      : null,
    h("p", { class: "muted" }, t("integrity.backupNote")),
  );
}

export async function integrityView(ctx: ViewContext): Promise<void> {
  document.title = t("integrity.title") + " · Ura";
  mount(ctx.main, h("h1", null, t("integrity.title")), loading());
  const headBox = h("section", { id: "integrity-head" });
  const verifyBox = h("section", { id: "integrity-verify" });
  const backupBox = h("section", { id: "integrity-backups" });
  mount(ctx.main, h("h1", null, t("integrity.title")), headBox, verifyBox, backupBox);
  let treeSize: number | undefined;
  try {
    const head = await call<Head>("/api/v1/head");
    treeSize = head.tree_size;
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
      state.state === "never" ? null : h("h3", null, t("integrity.witnesses")),
      state.state === "never" ? null : witnessTable(state.witnesses ?? []),
      button,
    );
  };
  try {
    showState(await call<VerifyState>("/api/v1/verify"));
  } catch (err) {
    mount(verifyBox, h("h2", null, t("integrity.verify")), errorBox(err));
  }
  try {
    backupSection(backupBox, await call<Backups>("/api/v1/backups?limit=5"), treeSize);
  } catch (err) {
    mount(backupBox, h("h2", null, t("integrity.backups")), errorBox(err));
  }
}
