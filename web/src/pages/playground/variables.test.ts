import { describe, expect, it } from "vitest";

import { templateVariables, valueText, variablesFromInput, variablesOf } from "./variables";

describe("templateVariables", () => {
  it("lists plain, triple and ampersand tags in order, once each", () => {
    expect(templateVariables("Hi {{name}}, {{{html}}} {{& raw}} and {{ name }} again")).toEqual([
      "name",
      "html",
      "raw",
    ]);
  });

  it("counts sections and inverted sections by their names", () => {
    expect(templateVariables("{{#context}}Use: {{/context}}{{^history}}First time.{{/history}}")).toEqual([
      "context",
      "history",
    ]);
  });

  it("keeps names inside a section to the section, but not inside an inverted one", () => {
    const t = "{{#items}}- {{title}} {{.}}{{/items}} {{^user}}Hello {{guest}}{{/user}} {{after}}";
    expect(templateVariables(t)).toEqual(["items", "user", "guest", "after"]);
  });

  it("uses the first segment of dotted names and ignores comments, partials and {{.}}", () => {
    expect(templateVariables("{{user.name}} {{user.email}} {{! note }} {{> footer}} {{.}}")).toEqual([
      "user",
    ]);
  });

  it("handles nested sections and ignores stray closing tags", () => {
    const t = "{{/nothing}}{{#a}}{{#b}}{{x}}{{/b}}{{y}}{{/a}}{{z}}";
    expect(templateVariables(t)).toEqual(["a", "z"]);
  });

  it("ignores text without tags and half-open braces", () => {
    expect(templateVariables("no tags { here } {{ }} {{")).toEqual([]);
  });
});

describe("variablesOf", () => {
  it("merges the variables of several templates", () => {
    expect(variablesOf(["{{a}} {{b}}", "{{b}} {{c}}"])).toEqual(["a", "b", "c"]);
  });
});

describe("variablesFromInput", () => {
  it("spreads a dict and wraps anything else as input", () => {
    expect(variablesFromInput({ question: "why?", n: 2 })).toEqual({ question: "why?", n: 2 });
    expect(variablesFromInput("just text")).toEqual({ input: "just text" });
    expect(variablesFromInput([1, 2])).toEqual({ input: [1, 2] });
  });

  it("shows non-text values as JSON", () => {
    expect(valueText("a")).toBe("a");
    expect(valueText(undefined)).toBe("");
    expect(valueText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
