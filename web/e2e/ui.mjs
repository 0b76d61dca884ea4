// The web UI in a real browser: playwright-core drives Debian's Chromium (headless) against a
// running `ura serve --web web/dist` that tests/e2e/test_web.py prepared (store, users, planted
// records). Reads URA_URL, URA_PASSWORD, URA_TOTP_SECRET (the investigator's) and
// URA_SCREENSHOT_DIR from the environment; prints one JSON line of measurements; exits non-zero
// on the first failed check.
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const URL = process.env.URA_URL;
const PASSWORD = process.env.URA_PASSWORD;
const SHOTS = process.env.URA_SCREENSHOT_DIR;
const JUSTIFICATION = "case OC-7/2026 web test";
if (!URL || !PASSWORD) throw new Error("set URA_URL and URA_PASSWORD");
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

function check(condition, what) {
  if (!condition) throw new Error("check failed: " + what);
  console.error("ok - " + what);
}

// RFC 6238 TOTP (SHA-1, 30 s, 6 digits) from a base32 secret. The server takes each code once
// (no replay), so a second log-in waits for the next 30-second step.
let lastStep = -1;
async function freshTotp(secret) {
  while (Math.floor(Date.now() / 1000 / 30) === lastStep) await new Promise((r) => setTimeout(r, 500));
  lastStep = Math.floor(Date.now() / 1000 / 30);
  return totp(secret);
}
function totp(secret) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const digest = createHmac("sha1", key).update(counter).digest();
  const offset = digest[19] & 15;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, "0");
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "sq-AL" });
const page = await context.newPage();
const problems = [];
page.on("pageerror", (e) => problems.push("page error: " + e.message));
page.on("console", (m) => {
  // A 401/404 answer is logged by the browser as a failed resource; everything else is a fault
  // (a CSP violation, an exception), and the UI itself logs nothing.
  if (!m.text().startsWith("Failed to load resource")) problems.push("console " + m.type() + ": " + m.text());
});
const shot = async (name, fullPage = false) => SHOTS && page.screenshot({ path: join(SHOTS, name + ".png"), fullPage });
const text = (selector) => page.locator(selector).first().innerText();
const measures = {};

async function logIn(user, code) {
  await page.fill("#login-user", user);
  await page.fill("#login-password", PASSWORD);
  if (code) await page.fill("#login-totp", code);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector("header.top");
}

async function logOut() {
  await page.click("#logout");
  await page.waitForSelector("form.login");
}

// --- Log-in (Albanian by default), with password and TOTP.
const response = await page.goto(URL);
check(response.headers()["content-security-policy"]?.includes("default-src 'self'"), "the page is served with a CSP");
await page.waitForSelector("form.login");
check((await page.getAttribute("html", "lang")) === "sq", "Albanian is the default language");
check((await text("form.login button[type=submit]")) === "Hyr", "the log-in form is in Albanian");
await shot("login");
await page.fill("#login-user", "inv");
await page.fill("#login-password", "wrong password here");
await page.fill("#login-totp", "000000");
await page.click("form.login button[type=submit]");
await page.waitForFunction(() => document.querySelector("#login-error")?.textContent?.length > 0);
check(true, "a wrong password is refused with a message");
await logIn("inv", await freshTotp(process.env.URA_TOTP_SECRET));
check(await page.isVisible("#search-q"), "an investigator lands on the search page");
check(!(await page.isVisible("#nav-audit")) && !(await page.isVisible("#nav-users")) && !(await page.isVisible("#nav-exchange")), "an investigator has no audit, users or exchange page");

// --- The justification is asked for once and kept for the tab.
await page.fill("#search-q", "Arben Krasniqi");
await page.waitForSelector("dialog.justification");
await page.fill("#justification-input", JUSTIFICATION);
await page.press("#justification-input", "Enter");
await page.waitForSelector("#search-results li");
check((await text("#justification-current")) === JUSTIFICATION, "the justification is shown in the header");

// --- Search a planted person by variant spellings; measure the results' render time.
const times = [];
for (const query of ["Arbën Krasniqi", "krasniqi arben", "Arben Krasniqy", "Krasniqi, Arbën", "arben krasniqi"]) {
  await page.fill("#search-q", "");
  const started = Date.now();
  await page.type("#search-q", query, { delay: 30 });
  const typed = Date.now();
  await page.waitForFunction((q) => document.querySelector("#search-results")?.dataset.query === q.trim(), query);
  const shown = Date.now();
  const inPage = Number(await page.getAttribute("#search-results", "data-ms"));
  times.push({ query, after_last_key_ms: shown - typed, in_page_ms: inPage, typing_ms: typed - started });
  const captions = await page.locator("#search-results .caption").allInnerTexts();
  const ids = await page.locator("#search-results a.result-link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  check(ids.includes("#/entity/p-plant"), `"${query}" finds the planted person (top: ${captions.slice(0, 3).join(" | ")})`);
}
measures.search = times;
await page.fill("#search-q", "Arbën Krasniqi");
await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "Arbën Krasniqi");
check((await text("#search-results .matched")).length > 0, "the matched field is shown");
// Filters: the planted person comes from "planted-records", not from the border system.
await page.selectOption("#search-source", "border");
await page.waitForFunction(() => !document.querySelector('#search-results a[href="#/entity/p-plant"]'));
check(page.url().includes("source=border"), "the source filter is in the address");
await page.selectOption("#search-source", "");
await page.waitForSelector('#search-results a[href="#/entity/p-plant"]');
check(true, "the source filter narrows the results and clearing it brings them back");
await shot("search");

// --- The dossier: marking, sourced values, history, links.
check(await page.locator('#search-results a[href="#/entity/p-plant"]').count() === 1, "the planted person is among the results");
await page.click('#search-results a[href="#/entity/p-plant"]');
await page.waitForSelector("#dossier-title");
check((await text("#dossier-title")) === "Arbën Krasniqi", "the dossier opens");
const marking = await text("#dossier-marking");
check(marking.includes("H1") && marking.includes("I kufizuar"), "the handling code and classification are prominent");
check((await text(".properties")).includes("planted-records"), "each value shows its source");
await page.click("#history-load");
await page.waitForSelector("#history-versions li");
check(true, "the history is shown");
check((await page.locator("#dossier-links a").count()) >= 1, "linked entities are listed");
check((await page.locator('#dossier-person a[href="#/entity/p-plant-border"]').count()) === 1,
  "the same person's record in another system is listed (entity resolution)");
await shot("dossier");

// --- A hostile value stays text.
check((await page.locator(".properties").innerText()).includes("<img src=x onerror=alert(1)>"), "markup in a record shows as text");
check((await page.locator(".properties img").count()) === 0, "markup in a record is not rendered");

// --- Tablet: the dossier fits without sideways scrolling.
await page.setViewportSize({ width: 768, height: 1024 });
check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "the dossier fits a tablet's width");
await shot("dossier-tablet");
await page.setViewportSize({ width: 1280, height: 800 });

// --- The network view (cytoscape, loaded only now), from the dossier: the sister as a node,
// expanding a node, a path highlighted, communities and brokers, the chart as a PNG file.
check(!(await page.evaluate(() => performance.getEntriesByType("resource").some((r) => r.name.includes("cytoscape")))), "search and dossier load without the chart library");
await page.click("#dossier-network");
await page.waitForSelector("#net-chart[data-ready]");
const netNodes = () => page.locator("#net-node option").evaluateAll((options) => options.map((o) => o.value));
check((await netNodes()).includes("p-sister"), "the network view opens from the dossier, with the sister as a node");
check((await page.locator("#net-links").textContent()).includes("Drita Krasniqi"), "and the Family link listed as text");
const before = (await netNodes()).length;
await page.selectOption("#net-node", "p-sister");
await page.focus("#net-expand");
await page.keyboard.press("Enter");
await page.waitForFunction((n) => document.querySelectorAll("#net-node option").length > n, before);
check((await netNodes()).includes("acc-sister"), "expanding the sister adds her account (" + before + " -> " + (await netNodes()).length + " entities)");
await page.selectOption("#net-from", "acc-sister");
await page.selectOption("#net-to", "p-plant-border");
await page.click("#net-path");
await page.waitForSelector("#net-chart[data-path]");
const pathIds = (await page.getAttribute("#net-status", "data-path")).split(" ");
check(pathIds[0] === "acc-sister" && pathIds.at(-1) === "p-plant-border" && Number(await page.getAttribute("#net-chart", "data-path")) === 2 * pathIds.length - 1,
  "a path between two entities is found and highlighted (" + pathIds.join(" -> ") + ")");
await page.click("#net-communities");
check((await page.getAttribute("#net-communities", "aria-pressed")) === "true", "communities are coloured");
await page.click("#net-brokers-button");
await page.waitForSelector("#net-brokers li");
check((await text("#net-brokers")).includes("Krasniqi"), "brokers are marked and listed");
await shot("network");
const png = page.waitForEvent("download");
await page.click("#net-png");
const pngFile = await png;
check(pngFile.suggestedFilename().endsWith(".png") && readFileSync(await pngFile.path()).subarray(1, 4).toString() === "PNG", "the chart is saved as a PNG file");
await page.setViewportSize({ width: 768, height: 1024 });
check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "the network view fits a tablet's width");
await page.setViewportSize({ width: 1280, height: 800 });

// --- The timeline: the planted person's events in date order.
await page.goto(URL + "#/entity/p-plant");
await page.click("#dossier-timeline");
await page.waitForSelector("#timeline-events li");
const dates = await page.locator("#timeline-events li").evaluateAll((items) => items.map((li) => li.dataset.date));
check(dates.every((d, i) => i === 0 || dates[i - 1] <= d) && ["2024-11-20", "2025-03-02", "2025-06-10"].every((d) => dates.includes(d)),
  "the timeline lists the payment, the crossing and the arrest in date order (" + dates.join(", ") + ")");
const throughText = await page.locator("#timeline-events").innerText();
check(!throughText.includes("acc-plant"), "an event through an account names the account by its caption, not its id");
await shot("timeline");
await page.setViewportSize({ width: 768, height: 1024 });
check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "the timeline fits a tablet's width");
await page.setViewportSize({ width: 1280, height: 800 });

// --- AML alerts: the generated payments are confidential, so this restricted-cleared
// investigator sees none of the alerts on them (a secret-cleared analyst does, below).
await page.click("#nav-aml");
await page.waitForSelector("#aml-none");
check((await page.locator("#aml-table").count()) === 0, "a restricted-cleared investigator sees no alerts on confidential payments");
await page.goto(URL + "#/entity/p-plant");
await page.waitForSelector("#dossier-links");

// --- Linked entity, clickable.
await page.click('#dossier-links a[href="#/entity/p-sister"]');
await page.waitForFunction(() => document.querySelector("#dossier-title")?.textContent === "Drita Krasniqi");
check(true, "a linked entity opens its own dossier");

// --- Language switch (the page redraws without consulting again).
await page.selectOption("#lang", "en");
await page.waitForFunction(() => document.querySelector("#nav-search")?.textContent === "Search");
check((await text("#dossier-title")) === "Drita Krasniqi", "switching to English keeps the page");
await page.selectOption("#lang", "tr");
await page.waitForFunction(() => document.querySelector("#nav-search")?.textContent === "Arama");
check((await page.getAttribute("html", "lang")) === "tr", "Turkish");
await page.selectOption("#lang", "en");

// --- Keyboard: the search is reachable and usable with the keyboard alone.
await page.click("#nav-search");
await page.waitForSelector("#search-q");
check(await page.evaluate(() => document.activeElement?.id === "search-q"), "the search field has the focus");
await page.keyboard.type("Drita");
await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "Drita");
// Past the filters (schema, source, the dates' fields) to the first result.
for (let i = 0; i < 12; i++) {
  await page.keyboard.press("Tab");
  if (await page.evaluate(() => document.activeElement?.classList.contains("result-link"))) break;
}
check(await page.evaluate(() => document.activeElement?.classList.contains("result-link")), "Tab reaches the first result");
await page.keyboard.press("Enter");
await page.waitForSelector("#dossier-title");
check(true, "a result opens with the keyboard");

// --- No clearance, no record: the secret person is neither found nor shown by id.
await page.click("#nav-search");
await page.fill("#search-q", "Leka Dukagjini");
await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "Leka Dukagjini");
const hidden = async () => (await page.locator("#search-results .caption").allInnerTexts()).filter((c) => c === "Leka Dukagjini").length === 0 && (await page.locator('#search-results a[href="#/entity/p-secret"]').count()) === 0;
check(await hidden(), "a secret record is not in a restricted-cleared user's results");
await page.goto(URL + "#/entity/p-secret");
await page.waitForSelector("main .error");
check(!(await page.content()).includes("Dukagjini"), "nor shown by id");

// --- Session expiry: the server ends the session; the UI goes back to log-in, keeps the search.
await page.click("#nav-search");
await page.fill("#search-q", "Drita");
await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "Drita");
await page.evaluate(() => fetch("/api/v1/logout", { method: "POST", headers: { Authorization: "Bearer " + sessionStorage.getItem("ura.token") } }));
await page.fill("#search-q", "Drita Krasniqi");
await page.waitForSelector("form.login");
check((await text("#login-error")).includes("session"), "an expired session returns to log-in with a notice");
check((await page.inputValue("#login-user")) === "inv", "the user name is kept");
await logIn("inv", await freshTotp(process.env.URA_TOTP_SECRET));
check((await page.inputValue("#search-q")) === "Drita Krasniqi", "what was typed is kept after logging in again");
check(await page.evaluate(() => localStorage.getItem("ura.token") === null), "the token is not in localStorage");
await logOut();

// --- The auditor sees those actions.
await logIn("aud");
check(await page.isVisible("#audit-user") && !(await page.isVisible("#nav-search")), "an auditor lands on the audit page, without search");
await page.fill("#audit-user", "inv");
await page.click("#audit-search");
await page.waitForSelector("dialog.justification");
await page.fill("#justification-input", "audit review 2026-11");
await page.press("#justification-input", "Enter");
await page.waitForSelector("#audit-table tbody tr");
const audit = await text("#audit-table");
for (const action of ["login", "search", "view", "history", "logout"]) check(audit.includes(action), `the auditor sees the investigator's ${action}`);
check(audit.includes(JUSTIFICATION), "with the justification");
const searches = await page.locator("#audit-table tbody tr").evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)).filter((c) => c[2] === "search" && c[6] === "Arben Krasniqi"));
check(searches.length === 1, "the search typed before the justification dialog was made once (" + searches.length + ")");
check(audit.includes("p-plant"), "and the records consulted");
await shot("audit");
await page.click("#nav-integrity");
await page.waitForSelector("#verify-run");
await page.click("#verify-run");
await page.waitForSelector("#verify-state.state-intact");
check(true, "an auditor verifies the journal: intact");
const witnessRows = await page.locator("#witnesses tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
check(witnessRows.length === 1 && witnessRows[0][1] === "yes" && witnessRows[0][2] === "in this history" && Number(witnessRows[0][3]) > 0,
  "the expected witness cosigned a head of this history (" + JSON.stringify(witnessRows) + ")");
const backupRows = await page.locator("#backups tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
check(backupRows.length === 1 && backupRows[0][1] === "local" && backupRows[0][2] === process.env.URA_BACKUP_TARGET && backupRows[0][3] === "1",
  "the last backup: run 1, local, to its target (" + JSON.stringify(backupRows) + ")");
check(/^\d+ entries written since the last backup\.$/.test(await text("#backup-behind")), "and how far the store has moved on since: " + (await text("#backup-behind")));
await shot("integrity", true);
await logOut();

// --- The administrator's users page.
await logIn("adm");
await page.waitForSelector("table.users");
await page.click("details.add-user summary");
await page.fill("#new-name", "new.analyst");
await page.selectOption("#new-role", "analyst");
await page.fill("#new-password", "a long enough password 7");
await page.click("details.add-user button[type=submit]");
await page.waitForSelector("table.users th:has-text('new.analyst')");
check(true, "an administrator adds a user");
await page.locator("tr", { has: page.locator("th", { hasText: "new.analyst" }) }).getByRole("button", { name: "Disable" }).click();
await page.waitForSelector("tr.disabled th:has-text('new.analyst')");
check(true, "and disables them");
await shot("users");
await logOut();

// --- The same search by a user cleared for secret finds it (the check above can fail).
await logIn("top");
await page.fill("#search-q", "Leka Dukagjini");
await page.waitForSelector("dialog.justification");
await page.fill("#justification-input", JUSTIFICATION);
await page.press("#justification-input", "Enter");
await page.waitForFunction(() => document.querySelector("#search-results")?.dataset.query === "Leka Dukagjini");
check(!(await hidden()), "a secret-cleared analyst finds the secret record");

// --- The resolution review queue: side by side, the weights, and a decision recorded.
check(await page.isVisible("#nav-review"), "an analyst has the review page");
await page.click("#nav-review");
await page.waitForSelector("#review-pairs li.pair, #review-status:has-text('0')", { timeout: 60000 });
const pairs = await page.locator("#review-pairs li.pair").count();
check(pairs > 0, `uncertain pairs are listed (${pairs})`);
check((await page.locator("#review-pairs li.pair").first().locator(".record").count()) === 2, "the two records side by side");
check((await page.locator("#review-pairs li.pair").first().locator(".weights li").count()) > 0, "with each field's weight");
await shot("review");
await page.locator("#review-pairs li.pair").first().locator("button.decide-different").click();
await page.waitForSelector("#review-pairs li.pair.decided");
check(true, "a judgement is recorded");
// --- AML alerts (the scan ran on the generated payments): the list, one alert's flow drawn.
await page.click("#nav-aml");
await page.waitForSelector("#aml-table tbody tr");
const alerts = await page.locator("#aml-table tbody tr").count();
check(alerts >= 1, "the AML alerts are listed (" + alerts + ")");
await shot("aml");
await page.locator("#aml-table tbody tr a").first().click();
await page.waitForSelector("#aml-chart[data-ready]");
const payments = await page.locator("#aml-payments tbody tr").count();
check(payments >= 2 && Number(await page.getAttribute("#aml-chart", "data-edges")) === payments, "an alert's flow is drawn: " + payments + " payments as arrows between accounts");
await shot("aml-alert");
await page.setViewportSize({ width: 768, height: 1024 });
check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "the alert view fits a tablet's width");
await page.setViewportSize({ width: 1280, height: 800 });
await logOut();

// --- A liaison officer: a package for a partner (downloaded), a partner's package, a partner's
// hit/no-hit filter (both files made by test_web.py with a second store).
if (process.env.URA_EXCHANGE_PACKAGE) {
  await logIn("liz");
  check(await page.isVisible("#nav-exchange") && !(await page.isVisible("#nav-audit")), "a liaison officer has the exchange page");
  await page.click("#nav-exchange");
  await page.waitForSelector("#exchange-export");
  await page.fill("#export-to", "force-b");
  await page.fill("#export-ids", "p-plant");
  await page.fill("#export-purpose", "joint investigation team OC-7");
  await page.click("#export-submit");
  await page.waitForSelector("dialog.justification");
  const downloading = page.waitForEvent("download");
  await page.fill("#justification-input", JUSTIFICATION);
  await page.press("#justification-input", "Enter");
  const download = await downloading;
  check(download.suggestedFilename().endsWith(".urax"), "the package is downloaded as a .urax file");
  check(readFileSync(await download.path()).subarray(0, 8).toString() === "URAXPKG1", "and it is an Ura exchange package");
  await page.waitForSelector("#export-done");
  await page.setInputFiles("#import-file", process.env.URA_EXCHANGE_PACKAGE);
  await page.click("#import-submit");
  await page.waitForSelector("#import-done");
  check((await text("#import-ids")).includes("force-b:b-1"), "a partner's package is imported, its records under the partner's name");
  await page.setInputFiles("#match-file", process.env.URA_EXCHANGE_FILTER);
  await page.click("#match-submit");
  await page.waitForSelector("#match-done");
  const hits = await text("#match-hits");
  check(hits.includes("Arbën Krasniqi") && hits.includes("Arben Krasniqi"), "a partner's filter finds the planted person and the imported copy");
  check(!hits.includes("name+birth date") && !hits.includes("identifier"), "saying in the UI's language which key matched");
  await shot("exchange");
  await logOut();
}

check(problems.length === 0, "no page errors or console messages: " + problems.join("; "));
await browser.close();
console.log(JSON.stringify(measures));
