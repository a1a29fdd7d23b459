import { describe, expect, it } from "vitest";

import { lineAndColumn, parseJson } from "./jsonCheck";
import {
  fromFieldText,
  metadataFromText,
  metadataToText,
  previewValue,
  sameValue,
  switchMode,
  toFieldText,
} from "./recordValue";

describe("toFieldText / fromFieldText", () => {
  it("keeps plain text as text, without quotes", () => {
    const field = toFieldText('He said "yes".\nThen left.');
    expect(field).toEqual({ text: 'He said "yes".\nThen left.', mode: "text" });
    expect(fromFieldText(field)).toEqual({ ok: true, value: 'He said "yes".\nThen left.' });
  });

  it("shows structures and other non-strings as JSON and reads them back", () => {
    const value = { question: "Where is my order?", history: [1, 2] };
    const field = toFieldText(value);
    expect(field.mode).toBe("json");
    expect(field.text).toContain('\n  "question": "Where is my order?"');
    expect(fromFieldText(field)).toEqual({ ok: true, value });
    expect(toFieldText(42)).toEqual({ text: "42", mode: "json" });
    expect(toFieldText(false)).toEqual({ text: "false", mode: "json" });
  });

  it("treats empty text and null as none", () => {
    expect(toFieldText(null)).toEqual({ text: "", mode: "text" });
    expect(toFieldText(undefined)).toEqual({ text: "", mode: "text" });
    expect(fromFieldText({ text: "", mode: "text" })).toEqual({ ok: true, value: null });
    expect(fromFieldText({ text: "  \n", mode: "json" })).toEqual({ ok: true, value: null });
  });

  it("text that looks like JSON stays text in text mode", () => {
    expect(fromFieldText({ text: '{"a": 1}', mode: "text" })).toEqual({
      ok: true,
      value: '{"a": 1}',
    });
  });

  it("reports where invalid JSON goes wrong", () => {
    const result = fromFieldText({ text: '{\n  "a": 1\n  "b": 2\n}', mode: "json" });
    expect(result).toEqual({
      ok: false,
      error: "Not valid JSON at line 3, column 3: expected ',' or '}' but found '\"'.",
    });
  });
});

describe("parseJson", () => {
  const errorOf = (text: string) => {
    const result = parseJson(text);
    return result.ok ? "ok" : result.error;
  };

  it("accepts what JSON.parse accepts", () => {
    for (const text of ['"x"', " [1, -2.5e3, true, null] ", '{"a": {"b": ["\\u00e9\\n"]}}', "0"]) {
      expect(parseJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
    }
  });

  it("names the mistake and its place", () => {
    expect(errorOf("{'a': 1}")).toBe(
      "line 1, column 2: expected a key in double quotes but found " +
        "a single quote (JSON needs double quotes)",
    );
    expect(errorOf("[1, 2,]")).toBe("line 1, column 6: a comma before ']' is not allowed");
    expect(errorOf('{"a": 1,}')).toBe("line 1, column 8: a comma before '}' is not allowed");
    expect(errorOf('{"a" 1}')).toBe("line 1, column 6: expected ':' after the key but found '1'");
    expect(errorOf('["open')).toBe(
      'line 1, column 2: the text in quotes is never closed (a " is missing)',
    );
    expect(errorOf("[1, 2")).toBe(
      "line 1, column 6: expected ',' or ']' but found the end of the text",
    );
    expect(errorOf("hello")).toMatch(/^line 1, column 1: expected a value .* but found 'h'$/);
    expect(errorOf("{} x")).toBe("line 1, column 4: unexpected 'x' after the end of the value");
    expect(errorOf('"a\nb"')).toMatch(/^line 1, column 3: a line break/);
    expect(errorOf('"\\x"')).toBe("line 1, column 2: the escape '\\x' is not valid JSON");
    expect(errorOf("-")).toBe("line 1, column 1: '-' does not start a valid number");
  });

  it("counts lines and columns from 1", () => {
    expect(lineAndColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});

describe("switchMode", () => {
  it("quotes plain text when switching to JSON, unless it already is JSON", () => {
    expect(switchMode("hello", "json")).toBe('"hello"');
    expect(switchMode('{"a": 1}', "json")).toBe('{"a": 1}');
    expect(switchMode("", "json")).toBe("");
  });

  it("unquotes a JSON string when switching to text, keeps structures as they are", () => {
    expect(switchMode('"hello\\nthere"', "text")).toBe("hello\nthere");
    expect(switchMode("[1, 2]", "text")).toBe("[1, 2]");
    expect(switchMode("{broken", "text")).toBe("{broken");
  });
});

describe("metadata", () => {
  it("is an object, empty text meaning none", () => {
    expect(metadataFromText("")).toEqual({ ok: true, value: {} });
    expect(metadataFromText('{"topic": "billing"}')).toEqual({
      ok: true,
      value: { topic: "billing" },
    });
    expect(metadataToText({})).toBe("");
    expect(metadataToText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });

  it("refuses lists and broken JSON with a reason", () => {
    const list = metadataFromText("[1]");
    expect(list.ok).toBe(false);
    expect(!list.ok && list.error).toMatch(/^Metadata must be an object/);
    const broken = metadataFromText('{"a": }');
    expect(!broken.ok && broken.error).toMatch(
      /^Not valid JSON at line 1, column 7: expected a value/,
    );
  });
});

describe("sameValue and previewValue", () => {
  it("compares JSON values deeply, ignoring key order", () => {
    expect(sameValue({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue("1", 1)).toBe(false);
  });

  it("previews text as is and structures as compact JSON", () => {
    expect(previewValue("hi")).toBe("hi");
    expect(previewValue({ a: 1 })).toBe('{"a":1}');
    expect(previewValue(null)).toBe("");
    expect(previewValue("abcdef", 3)).toBe("abc…");
  });
});
