import createClient from "openapi-fetch";

import type { components, paths } from "./generated/schema";

/** The typed client of assay's public HTTP API (same origin; Vite proxies it in dev). */
export const api = createClient<paths>({ baseUrl: "" });

export type Schemas = components["schemas"];

/** An answer of the API that was not 2xx, with the server's message and request id. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly details: unknown[];

  constructor(status: number, body: unknown) {
    const err = (body as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const message = typeof err.message === "string" ? err.message : `HTTP ${status}`;
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = typeof err.code === "string" ? err.code : undefined;
    this.requestId = typeof err.request_id === "string" ? err.request_id : undefined;
    this.details = Array.isArray(err.details) ? err.details : [];
  }
}

/** The data of an openapi-fetch answer, or an {@link ApiError} when it failed. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    throw new ApiError(response.status, error);
  }
  return data as T;
}
