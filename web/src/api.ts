// Talking to `ura serve` (docs/cli.md "The HTTP API"). The session token lives in this tab's
// sessionStorage only (gone when the tab closes; never localStorage, never logged). Every
// consultation of police data carries the tab's justification in X-Justification.
import { t } from "./i18n";

const TOKEN_KEY = "ura.token";
const JUSTIFICATION_KEY = "ura.justification";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Me {
  name: string;
  role: string;
  clearance: string;
  cases: string[];
}

export function token(): string | null {
  return window.sessionStorage.getItem(TOKEN_KEY);
}

export function justification(): string {
  return window.sessionStorage.getItem(JUSTIFICATION_KEY) ?? "";
}

export function setJustification(text: string): void {
  if (text) window.sessionStorage.setItem(JUSTIFICATION_KEY, text);
  else window.sessionStorage.removeItem(JUSTIFICATION_KEY);
}

// Called when the server answers 401 to a signed-in request: the session expired or ended.
let onExpired: () => void = () => {};
export function whenExpired(fn: () => void): void {
  onExpired = fn;
}
// Asks the user for a justification (a dialog); resolves with it, or rejects if cancelled.
let askJustification: () => Promise<string> = () => Promise.reject(new Error("no dialog"));
export function whenJustificationNeeded(fn: () => Promise<string>): void {
  askJustification = fn;
}

interface CallOptions {
  method?: string;
  body?: unknown;
  bytes?: ArrayBuffer; // a binary body (application/octet-stream) instead of JSON
  binary?: boolean; // the answer is a file: resolve with a Binary instead of parsed JSON
  consult?: boolean; // needs X-Justification
}

export interface Binary {
  blob: Blob;
  headers: Headers;
}

export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const tok = token();
  if (tok) headers.Authorization = "Bearer " + tok;
  if (options.consult) {
    let why = justification();
    if (why.length < 3) {
      why = await askJustification();
      setJustification(why);
    }
    headers["X-Justification"] = why;
  }
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.bytes !== undefined) headers["Content-Type"] = "application/octet-stream";
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.bytes ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (response.ok && options.binary) return { blob: await response.blob(), headers: response.headers } as T;
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const err = (payload ?? {}) as { code?: string; message?: string };
    if (response.status === 401 && tok && path !== "/api/v1/login") {
      window.sessionStorage.removeItem(TOKEN_KEY);
      onExpired();
    }
    if (response.status === 400 && err.code === "justification_required") setJustification("");
    throw new ApiError(response.status, err.code ?? "error", err.message ?? response.statusText);
  }
  return payload as T;
}

export async function login(user: string, password: string, totp: string): Promise<void> {
  const body: Record<string, string> = { user, password };
  if (totp) body.totp = totp;
  const answer = await call<{ token: string }>("/api/v1/login", { method: "POST", body });
  window.sessionStorage.setItem(TOKEN_KEY, answer.token);
}

export async function logout(): Promise<void> {
  try {
    await call("/api/v1/logout", { method: "POST" });
  } finally {
    window.sessionStorage.removeItem(TOKEN_KEY);
  }
}

export function me(): Promise<Me> {
  return call<Me>("/api/v1/me");
}

export const q = encodeURIComponent;
