import { describe, expect, it } from "vitest";

import { templateParts } from "./templateParts";

describe("templateParts", () => {
  it("splits variables from the text around them", () => {
    expect(templateParts("Hi {{ name }}, about {{order.id}}.")).toEqual([
      { kind: "text", text: "Hi " },
      { kind: "variable", text: "{{ name }}", name: "name" },
      { kind: "text", text: ", about " },
      { kind: "variable", text: "{{order.id}}", name: "order.id" },
      { kind: "text", text: "." },
    ]);
  });

  it("tells section tags, comments and unescaped variables apart", () => {
    const parts = templateParts("{{#vip}}Be kind.{{/vip}}{{^vip}}x{{/vip}}{{! note }}{{{html}}}{{&raw}}");
    expect(parts.map((p) => p.kind)).toEqual([
      "section",
      "text",
      "section",
      "section",
      "text",
      "section",
      "comment",
      "variable",
      "variable",
    ]);
    expect(parts[0]).toEqual({ kind: "section", text: "{{#vip}}", name: "vip" });
    expect(parts[7]).toEqual({ kind: "variable", text: "{{{html}}}", name: "html" });
    expect(parts[8]).toEqual({ kind: "variable", text: "{{&raw}}", name: "raw" });
  });

  it("gives the template back when the parts are joined, braces that are no tag included", () => {
    const template = "JSON: {\"a\": {}} and {{}} and {{ x }}\n{single}";
    expect(templateParts(template).map((p) => p.text).join("")).toBe(template);
  });

  it("has no parts for an empty template", () => {
    expect(templateParts("")).toEqual([]);
  });
});
