import { describe, expect, it } from "vitest";

import { looksLikeMarkdown, parseMaybeJson, requestExtras, toConversation } from "./messages";

describe("toConversation", () => {
  it("reads OpenAI chat messages with text and parts", () => {
    const conv = toConversation([
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "https://x/cat.png" } },
        ],
      },
    ]);
    expect(conv).toEqual([
      { role: "system", name: null, parts: [{ type: "text", text: "Be brief." }] },
      {
        role: "user",
        name: null,
        parts: [
          { type: "text", text: "What is this?" },
          { type: "image", url: "https://x/cat.png" },
        ],
      },
    ]);
  });

  it("reads an OpenAI assistant message with tool calls and parses their arguments", () => {
    const conv = toConversation({
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "search", arguments: '{"q": "tea"}' } },
      ],
    });
    expect(conv).toEqual([
      {
        role: "assistant",
        name: null,
        parts: [{ type: "tool_call", call: { id: "call_1", name: "search", arguments: { q: "tea" } } }],
      },
    ]);
  });

  it("keeps arguments that are not JSON as text", () => {
    const conv = toConversation({
      role: "assistant",
      tool_calls: [{ id: "c", function: { name: "f", arguments: "{broken" } }],
    });
    expect(conv?.[0].parts[0]).toEqual({
      type: "tool_call",
      call: { id: "c", name: "f", arguments: "{broken" },
    });
  });

  it("reads OpenAI tool results", () => {
    const conv = toConversation([{ role: "tool", tool_call_id: "call_1", content: '{"hits": 2}' }]);
    expect(conv?.[0]).toEqual({
      role: "tool",
      name: null,
      parts: [
        {
          type: "tool_result",
          result: { toolCallId: "call_1", name: null, content: { hits: 2 }, isError: false },
        },
      ],
    });
  });

  it("reads Anthropic content blocks: text, thinking, tool_use, tool_result", () => {
    const conv = toConversation({
      system: "You sell tea.",
      model: "claude",
      messages: [
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "Look it up." },
            { type: "text", text: "Let me check." },
            { type: "tool_use", id: "tu_1", name: "stock", input: { sku: "A1" } },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "tu_1",
              is_error: true,
              content: [{ type: "text", text: "not found" }],
            },
          ],
        },
      ],
    });
    expect(conv?.map((m) => m.role)).toEqual(["system", "assistant", "user"]);
    expect(conv?.[1].parts).toEqual([
      { type: "thinking", text: "Look it up." },
      { type: "text", text: "Let me check." },
      { type: "tool_call", call: { id: "tu_1", name: "stock", arguments: { sku: "A1" } } },
    ]);
    expect(conv?.[2].parts).toEqual([
      {
        type: "tool_result",
        result: { toolCallId: "tu_1", name: null, content: "not found", isError: true },
      },
    ]);
  });

  it("reads OpenAI completions and Responses items", () => {
    const completion = { choices: [{ message: { role: "assistant", content: "Hi" } }] };
    expect(toConversation(completion)?.[0].parts).toEqual([{ type: "text", text: "Hi" }]);
    const items = toConversation([
      { role: "user", content: [{ type: "input_text", text: "weather?" }] },
      { type: "function_call", call_id: "fc1", name: "weather", arguments: '{"city":"Oslo"}' },
      { type: "function_call_output", call_id: "fc1", output: "rain" },
    ]);
    expect(items?.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
    expect(items?.[1].parts[0]).toEqual({
      type: "tool_call",
      call: { id: "fc1", name: "weather", arguments: { city: "Oslo" } },
    });
  });

  it("reads Gemini-like parts and maps the model role to assistant", () => {
    const conv = toConversation([{ role: "model", parts: [{ text: "Bonjour" }] }]);
    expect(conv).toEqual([{ role: "assistant", name: null, parts: [{ type: "text", text: "Bonjour" }] }]);
  });

  it("says no to what is not a conversation", () => {
    expect(toConversation("hello")).toBeNull();
    expect(toConversation(null)).toBeNull();
    expect(toConversation([])).toBeNull();
    expect(toConversation({ query: "tea", role: 3 })).toBeNull();
    expect(toConversation([{ role: "user", content: "a" }, { other: 1 }])).toBeNull();
    expect(toConversation({ role: "admin" })).toBeNull();
  });
});

describe("requestExtras", () => {
  it("returns the request's parameters besides the messages", () => {
    expect(requestExtras({ messages: [], system: "s", temperature: 0.2 })).toEqual({ temperature: 0.2 });
    expect(requestExtras({ messages: [] })).toBeNull();
    expect(requestExtras([1])).toBeNull();
  });
});

describe("parseMaybeJson", () => {
  it("parses JSON objects and arrays only", () => {
    expect(parseMaybeJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseMaybeJson(" [1,2] ")).toEqual([1, 2]);
    expect(parseMaybeJson("42")).toBe("42");
    expect(parseMaybeJson("{nope")).toBe("{nope");
    expect(parseMaybeJson(7)).toBe(7);
  });
});

describe("looksLikeMarkdown", () => {
  it("spots headings, lists, emphasis, code and links", () => {
    expect(looksLikeMarkdown("# Title\ntext")).toBe(true);
    expect(looksLikeMarkdown("Steps:\n- one\n- two")).toBe(true);
    expect(looksLikeMarkdown("It is **very** good")).toBe(true);
    expect(looksLikeMarkdown("run `make`")).toBe(true);
    expect(looksLikeMarkdown("see [docs](https://x)")).toBe(true);
    expect(looksLikeMarkdown("Your order ships on Monday.")).toBe(false);
    expect(looksLikeMarkdown("3 - 2 = 1")).toBe(false);
  });
});
