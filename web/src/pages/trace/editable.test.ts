import { describe, expect, it } from "vitest";

import { fromEditable, toEditable } from "./editable";

describe("toEditable / fromEditable", () => {
  it("keeps plain text plain", () => {
    expect(toEditable('He said "hi"')).toEqual({ text: 'He said "hi"', json: false });
    expect(fromEditable({ text: 'He said "hi"', json: false })).toEqual({ ok: true, value: 'He said "hi"' });
  });

  it("shows structured values as JSON and reads them back", () => {
    const value = [{ role: "user", content: "hi" }];
    const edit = toEditable(value);
    expect(edit.json).toBe(true);
    expect(edit.text).toContain('\n  {\n    "role": "user"');
    expect(fromEditable(edit)).toEqual({ ok: true, value });
    expect(toEditable(3)).toEqual({ text: "3", json: true });
  });

  it("turns empty fields into null and says why JSON is invalid", () => {
    expect(toEditable(null)).toEqual({ text: "", json: false });
    expect(fromEditable({ text: "  ", json: true })).toEqual({ ok: true, value: null });
    const bad = fromEditable({ text: "{oops", json: true });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/not valid JSON/);
  });
});
