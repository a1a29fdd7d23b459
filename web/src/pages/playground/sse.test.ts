import { describe, expect, it } from "vitest";

import { readSse, SseParser } from "./sse";

function all(chunks: string[]) {
  const parser = new SseParser();
  return chunks.flatMap((c) => parser.push(c));
}

describe("SseParser", () => {
  it("reads named events with their data", () => {
    expect(all(['event: delta\ndata: {"text":"Hi"}\n\nevent: done\ndata: {}\n\n'])).toEqual([
      { event: "delta", data: '{"text":"Hi"}', id: null },
      { event: "done", data: "{}", id: null },
    ]);
  });

  it("joins events split anywhere across chunks", () => {
    const text = 'event: delta\ndata: {"text":"Hello"}\n\nevent: delta\ndata: {"text":" world"}\n\n';
    for (let cut = 1; cut < text.length; cut += 1) {
      const events = all([text.slice(0, cut), text.slice(cut)]);
      expect(events.map((e) => e.data)).toEqual(['{"text":"Hello"}', '{"text":" world"}']);
    }
  });

  it("joins multi-line data with newlines and defaults the event name", () => {
    expect(all(["data: line one\ndata: line two\ndata\n\n"])).toEqual([
      { event: "message", data: "line one\nline two\n", id: null },
    ]);
  });

  it("ignores comments and events without data", () => {
    expect(all([": keep-alive\n\nevent: ping\n\n:comment\ndata: x\n\n"])).toEqual([
      { event: "message", data: "x", id: null },
    ]);
  });

  it("accepts CRLF and CR line ends, even split between chunks", () => {
    expect(all(["event: a\r", "\ndata: 1\r\n\r", "\nevent: b\rdata: 2\r\r"])).toEqual([
      { event: "a", data: "1", id: null },
      { event: "b", data: "2", id: null },
    ]);
  });

  it("keeps a space after the colon only once and remembers the id", () => {
    expect(all(["id: 7\ndata:  two spaces\n\n"])).toEqual([
      { event: "message", data: " two spaces", id: "7" },
    ]);
  });

  it("drops an event the body ends before finishing", () => {
    const parser = new SseParser();
    expect(parser.push("data: half")).toEqual([]);
    expect(parser.end()).toEqual([]);
  });
});

describe("readSse", () => {
  it("decodes UTF-8 split inside a character", async () => {
    const bytes = new TextEncoder().encode('data: {"text":"café ✓"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 17));
        controller.enqueue(bytes.slice(17, 20));
        controller.enqueue(bytes.slice(20));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readSse(body)) events.push(event);
    expect(events).toEqual([{ event: "message", data: '{"text":"café ✓"}', id: null }]);
  });
});
