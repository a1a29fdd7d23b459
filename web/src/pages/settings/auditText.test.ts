import { describe, expect, it } from "vitest";

import { actionText, detailsText } from "./auditText";

describe("audit log text", () => {
  it("shows details as key: value pairs, objects as JSON", () => {
    expect(detailsText({ role: "viewer", email: "a@example.com" })).toBe("role: viewer · email: a@example.com");
    expect(detailsText({ retention_days: 30, before: null })).toBe("retention_days: 30 · before: none");
    expect(detailsText({ changed: { is_admin: true } })).toBe('changed: {"is_admin":true}');
    expect(detailsText({})).toBe("");
    expect(detailsText(undefined)).toBe("");
  });

  it("spells dotted actions as words", () => {
    expect(actionText("member.add")).toBe("member add");
    expect(actionText("api_key.revoke")).toBe("api key revoke");
  });
});
