import { describe, expect, it } from "vitest";

import type { Me } from "./authApi";
import { allows, isInstanceAdmin, LOCAL_ME, needsSignIn, roleIn } from "./roles";

const user = {
  id: "u1",
  email: "vera@example.com",
  is_admin: false,
  disabled: false,
  has_password: true,
  oidc: false,
  created_at: "2026-01-01T00:00:00Z",
};
const viewer: Me = { auth: true, user, projects: { "support-bot": "viewer", billing: "engineer" }, oidc: false };

describe("roles", () => {
  it("orders roles: each allows what the ones before it allow", () => {
    expect(allows("viewer", "viewer")).toBe(true);
    expect(allows("viewer", "annotator")).toBe(false);
    expect(allows("engineer", "annotator")).toBe(true);
    expect(allows("engineer", "admin")).toBe(false);
    expect(allows("admin", "engineer")).toBe(true);
    expect(allows(null, "viewer")).toBe(false);
  });

  it("gives a member their role in each project and nothing elsewhere", () => {
    expect(roleIn(viewer, "support-bot")).toBe("viewer");
    expect(roleIn(viewer, "billing")).toBe("engineer");
    expect(roleIn(viewer, "other")).toBeNull();
    expect(roleIn(viewer, undefined)).toBeNull();
    expect(isInstanceAdmin(viewer)).toBe(false);
  });

  it("lets instance admins and the local user do everything", () => {
    const admin: Me = { ...viewer, user: { ...user, is_admin: true }, projects: {} };
    expect(roleIn(admin, "anything")).toBe("admin");
    expect(isInstanceAdmin(admin)).toBe(true);
    expect(roleIn(LOCAL_ME, "anything")).toBe("admin");
    expect(isInstanceAdmin(LOCAL_ME)).toBe(true);
  });

  it("asks for sign-in only with authentication on and nobody signed in", () => {
    expect(needsSignIn(LOCAL_ME)).toBe(false);
    expect(needsSignIn(viewer)).toBe(false);
    expect(needsSignIn({ auth: true, projects: {}, oidc: true })).toBe(true);
    expect(needsSignIn({ auth: true, key: "ci", projects: { p: "engineer" }, oidc: false })).toBe(false);
  });
});
