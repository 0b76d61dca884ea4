// Messages in Albanian (the default), Turkish and English: every string the UI shows comes from
// i18n/{sq,tr,en}.json (scripts/check-i18n.mjs checks that the three have the same keys).
import en from "./i18n/en.json";
import sq from "./i18n/sq.json";
import tr from "./i18n/tr.json";

export type Lang = "sq" | "tr" | "en";
export const LANGS: Lang[] = ["sq", "tr", "en"];
type Messages = typeof en;
export type Key = keyof Messages;
const CATALOGS: Record<Lang, Messages> = { sq, tr, en };
const LANG_KEY = "ura.lang"; // a preference, not a secret: localStorage is fine for it

let current: Lang = (() => {
  const saved = window.localStorage.getItem(LANG_KEY);
  return LANGS.includes(saved as Lang) ? (saved as Lang) : "sq";
})();

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  current = l;
  window.localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
}

// The message `key`, with {name} placeholders filled from `params` (as text).
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text: string = CATALOGS[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

// A time (microseconds since the epoch, or RFC 3339) as YYYY-MM-DD HH:MM in local time: the
// same unambiguous form in every language.
export function formatTime(value: number | string): string {
  const date = typeof value === "number" ? new Date(value / 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

// A message whose key is made from data (a schema, role or classification name): the name
// itself when there is no message for it.
export function tName(prefix: string, name: string): string {
  const key = (prefix + "." + name) as Key;
  const text: string | undefined = CATALOGS[current][key] ?? en[key];
  return text ?? name;
}
