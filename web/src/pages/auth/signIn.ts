/** What the sign-in page says when signing in failed. */
import { ApiError } from "../../api/client";

export type SignInProblem = { title: string; message: string };

/** "2 minutes", "45 seconds": a wait in words. */
export function formatWait(seconds: number): string {
  if (seconds < 60) {
    const s = Math.max(1, Math.ceil(seconds));
    return `${s} second${s === 1 ? "" : "s"}`;
  }
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? "" : "s"}`;
}

/** The title and words for a failed sign-in: wrong credentials, too many attempts (with how long
 * to wait when the server says), or whatever else the server answered. */
export function signInProblem(error: unknown): SignInProblem {
  if (!(error instanceof ApiError)) {
    return { title: "Could not reach the server", message: String(error) };
  }
  if (error.status === 429) {
    const wait = error.retryAfter !== undefined ? ` Try again in ${formatWait(error.retryAfter)}.` : "";
    return { title: "Too many attempts", message: `${error.message}${wait}` };
  }
  if (error.status === 401 || error.status === 403) {
    return { title: "Could not sign in", message: error.message };
  }
  return { title: "Sign-in failed", message: error.message };
}

/** Where the SSO button goes: the server's OpenID Connect login, coming back to `here`. */
export function ssoHref(here: string): string {
  return `/api/v1/auth/oidc/login?next=${encodeURIComponent(here || "/")}`;
}
