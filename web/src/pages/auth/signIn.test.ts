import { describe, expect, it } from "vitest";

import { ApiError } from "../../api/client";
import { formatWait, signInProblem, ssoHref } from "./signIn";

const body = (message: string) => ({ error: { code: "x", message } });

describe("sign-in problems", () => {
  it("shows the server's words for a wrong password", () => {
    const problem = signInProblem(new ApiError(401, body("Wrong email or password.")));
    expect(problem).toEqual({ title: "Could not sign in", message: "Wrong email or password." });
  });

  it("says how long to wait after too many attempts", () => {
    const headers = new Headers({ "Retry-After": "120" });
    const problem = signInProblem(new ApiError(429, body("Too many failed sign-ins."), headers));
    expect(problem.title).toBe("Too many attempts");
    expect(problem.message).toBe("Too many failed sign-ins. Try again in 2 minutes.");
    expect(signInProblem(new ApiError(429, body("Slow down."))).message).toBe("Slow down.");
  });

  it("says when the server could not be reached", () => {
    expect(signInProblem(new TypeError("Failed to fetch")).title).toBe("Could not reach the server");
  });

  it("puts waits in words", () => {
    expect(formatWait(1)).toBe("1 second");
    expect(formatWait(45)).toBe("45 seconds");
    expect(formatWait(60)).toBe("1 minute");
    expect(formatWait(61)).toBe("2 minutes");
  });

  it("sends SSO back to the page that was asked for", () => {
    expect(ssoHref("/projects/a b/traces?x=1")).toBe(
      "/api/v1/auth/oidc/login?next=%2Fprojects%2Fa%20b%2Ftraces%3Fx%3D1",
    );
    expect(ssoHref("")).toBe("/api/v1/auth/oidc/login?next=%2F");
  });
});
