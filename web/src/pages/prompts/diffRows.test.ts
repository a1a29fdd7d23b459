import { describe, expect, it } from "vitest";

import { sideBySide, valueText } from "./diffRows";

describe("sideBySide", () => {
  it("puts kept lines on both sides and a changed line facing its replacement", () => {
    const rows = sideBySide([
      { op: "=", text: "You are kind." },
      { op: "-", text: "Answer briefly." },
      { op: "+", text: "Answer in detail." },
      { op: "+", text: "Cite sources." },
      { op: "=", text: "Bye." },
    ]);
    expect(rows).toEqual([
      { left: { text: "You are kind.", changed: false }, right: { text: "You are kind.", changed: false } },
      { left: { text: "Answer briefly.", changed: true }, right: { text: "Answer in detail.", changed: true } },
      { left: null, right: { text: "Cite sources.", changed: true } },
      { left: { text: "Bye.", changed: false }, right: { text: "Bye.", changed: false } },
    ]);
  });

  it("keeps a removal that follows an addition on its own row", () => {
    const rows = sideBySide([
      { op: "+", text: "new" },
      { op: "-", text: "old" },
    ]);
    expect(rows).toEqual([
      { left: null, right: { text: "new", changed: true } },
      { left: { text: "old", changed: true }, right: null },
    ]);
  });
});

describe("valueText", () => {
  it("shows strings as they are and other values as one-line JSON", () => {
    expect(valueText("gpt-4o")).toBe("gpt-4o");
    expect(valueText(0.2)).toBe("0.2");
    expect(valueText({ type: "json_object" })).toBe('{ "type": "json_object" }');
    expect(valueText(null)).toBe("—");
  });
});
