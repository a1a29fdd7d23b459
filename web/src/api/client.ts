import createClient from "openapi-fetch";

import type { components, paths } from "./generated/schema";

/** The typed client of assay's public HTTP API (same origin; Vite proxies it in dev). */
export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });

/** Methods that change nothing, so need no CSRF token. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

/** Remember the session's CSRF token (from `GET /api/v1/auth/me`); null when there is none. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** Headers a hand-made `fetch` of the API needs for `method` (the CSRF token on changes),
 * for calls openapi-fetch cannot make, such as reading a streamed answer. */
export function csrfHeaders(method: string): Record<string, string> {
  return csrfToken && !SAFE_METHODS.has(method.toUpperCase()) ? { "X-CSRF-Token": csrfToken } : {};
}

/** Call `listener` whenever the server answers 401 (the session ended); returns an unsubscribe. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

api.use({
  onRequest({ request }) {
    if (csrfToken && !SAFE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set("X-CSRF-Token", csrfToken);
    }
    return request;
  },
  onResponse({ response, schemaPath }) {
    // A 401 of the sign-in calls themselves (wrong password, say) is the sign-in page's to show.
    if (response.status === 401 && !schemaPath.startsWith("/api/v1/auth/")) {
      unauthorizedListeners.forEach((listener) => listener());
    }
    return response;
  },
});

export type Schemas = components["schemas"];

/** An answer of the API that was not 2xx, with the server's message and request id. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly details: unknown[];
  /** Seconds to wait before trying again, from a 429's Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: unknown, headers?: Headers) {
    const err = (body as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const message = typeof err.message === "string" ? err.message : `HTTP ${status}`;
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = typeof err.code === "string" ? err.code : undefined;
    this.requestId = typeof err.request_id === "string" ? err.request_id : undefined;
    this.details = Array.isArray(err.details) ? err.details : [];
    const wait = Number(headers?.get("Retry-After") ?? Number.NaN);
    this.retryAfter = Number.isFinite(wait) ? wait : undefined;
  }
}

/** The data of an openapi-fetch answer, or an {@link ApiError} when it failed. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    throw new ApiError(response.status, error, response.headers);
  }
  return data as T;
}
