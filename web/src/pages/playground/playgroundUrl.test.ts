import { describe, expect, it } from "vitest";

import { playgroundHref, readStart, startKey, startSearch } from "./playgroundUrl";

const read = (q: string) => readStart(new URLSearchParams(q));

describe("playground start in the URL", () => {
  it("reads a prompt at a version, a label or its latest", () => {
    expect(read("prompt=answer&version=3")).toEqual({ kind: "prompt", name: "answer", version: 3, label: null });
    expect(read("prompt=answer&label=production")).toEqual({
      kind: "prompt",
      name: "answer",
      version: null,
      label: "production",
    });
    expect(read("prompt=answer&version=zero")).toEqual({ kind: "prompt", name: "answer", version: null, label: null });
    expect(read("prompt=answer&version=0").kind).toBe("prompt");
  });

  it("reads a span, an agent and a blank start, and nothing else", () => {
    expect(read("trace=abc&span=def")).toEqual({ kind: "span", trace: "abc", span: "def" });
    expect(read("trace=abc")).toEqual({ kind: "none" });
    expect(read("agent=support")).toEqual({ kind: "agent", name: "support" });
    expect(read("new=1")).toEqual({ kind: "new" });
    expect(read("new=0&other=x")).toEqual({ kind: "none" });
  });

  it("writes what it reads", () => {
    for (const q of ["prompt=a+b&version=2", "prompt=a&label=staging", "trace=t&span=s", "agent=x", "new=1", ""]) {
      expect(startSearch(read(q))).toBe(q);
    }
    expect(startKey(read("prompt=a&version=2"))).not.toBe(startKey(read("prompt=a&version=3")));
  });

  it("links into a project's playground", () => {
    expect(playgroundHref("shop bot", { kind: "prompt", name: "answer", version: null, label: "production" })).toBe(
      "/projects/shop%20bot/playground?prompt=answer&label=production",
    );
    expect(playgroundHref("shop bot", { kind: "prompt", name: "answer", version: 3, label: null })).toBe(
      "/projects/shop%20bot/playground?prompt=answer&version=3",
    );
    expect(playgroundHref("p", { kind: "span", trace: "t1", span: "s/1" })).toBe(
      "/projects/p/playground?trace=t1&span=s%2F1",
    );
    expect(playgroundHref("p", { kind: "new" })).toBe("/projects/p/playground?new=1");
    expect(playgroundHref("p", { kind: "none" })).toBe("/projects/p/playground");
  });
});
