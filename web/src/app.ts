// What the views share: the signed-in user, navigation, and consultation answers cached for the
// current page (switching the language redraws a page without consulting -- and auditing -- again).
import { call, type Me } from "./api";

export interface Route {
  path: string[]; // "#/entity/ID" -> ["entity", "ID"]
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, "");
  const [path, query] = body.split("?", 2);
  return { path: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query ?? "") };
}

export function href(path: string[], params?: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(params ?? {}).filter(([, v]) => v !== "")).toString();
  return "#/" + path.map(encodeURIComponent).join("/") + (query ? "?" + query : "");
}

export const CONSULTING_ROLES = ["investigator", "analyst", "liaison"];

export function mayConsult(me: Me): boolean {
  return CONSULTING_ROLES.includes(me.role);
}
export function isAuditor(me: Me): boolean {
  return me.role === "auditor";
}
export function isAdmin(me: Me): boolean {
  return me.role === "admin";
}
export function isAnalyst(me: Me): boolean {
  return me.role === "analyst";
}
export function isLiaison(me: Me): boolean {
  return me.role === "liaison";
}
export function mayVerify(me: Me): boolean {
  return me.role === "auditor" || me.role === "admin";
}

const cache = new Map<string, unknown>();

export function clearCache(): void {
  cache.clear();
}

// GET `path` (a consultation when `consult`), reusing the answer while on the same page.
export async function load<T>(path: string, consult: boolean): Promise<T> {
  if (cache.has(path)) return cache.get(path) as T;
  const value = await call<T>(path, { consult });
  if (cache.size > 50) cache.clear();
  cache.set(path, value);
  return value;
}

export function forget(path: string): void {
  cache.delete(path);
}
