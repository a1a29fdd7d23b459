/**
 * Chat messages recognised in span bodies, whatever the provider's shape: OpenAI chat
 * (`content` as text or parts, `tool_calls`, `role: "tool"` results), OpenAI Responses items
 * (`function_call`, `function_call_output`), Anthropic (content blocks `text`, `tool_use`,
 * `tool_result`, `thinking`) and Gemini-like `parts`. Everything else is left to the JSON view.
 */

export interface ToolCall {
  id: string | null;
  name: string;
  /** Parsed when the provider sent the arguments as a JSON string. */
  arguments: unknown;
}

export interface ToolResult {
  toolCallId: string | null;
  name: string | null;
  content: unknown;
  isError: boolean;
}

export type Part =
  | { type: "text"; text: string }
  | { type: "thinking"; text: string }
  | { type: "image"; url: string | null }
  | { type: "tool_call"; call: ToolCall }
  | { type: "tool_result"; result: ToolResult }
  | { type: "other"; value: unknown };

export interface ChatMessage {
  role: string;
  name: string | null;
  parts: Part[];
}

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function str(x: unknown): string | null {
  return typeof x === "string" ? x : null;
}

/** `'{"a": 1}'` → `{a: 1}`; anything that is not JSON text stays as it is. */
export function parseMaybeJson(x: unknown): unknown {
  if (typeof x !== "string") return x;
  const t = x.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return x;
  try {
    return JSON.parse(t);
  } catch {
    return x;
  }
}

/** An item that is a message in one of the known shapes (role plus some content). */
export function isMessage(x: unknown): x is Obj {
  if (!isObj(x)) return false;
  if (x.type === "function_call" || x.type === "function_call_output") return true;
  if (typeof x.role !== "string" || x.role.length === 0 || x.role.length > 40) return false;
  return "content" in x || "tool_calls" in x || "parts" in x || "function_call" in x;
}

function toolCall(x: Obj): ToolCall | null {
  const fn = isObj(x.function) ? x.function : x;
  const name = str(fn.name);
  if (name === null) return null;
  const args = "arguments" in fn ? fn.arguments : "input" in x ? x.input : x.args;
  return { id: str(x.id) ?? str(x.call_id), name, arguments: parseMaybeJson(args) };
}

function block(b: unknown): Part {
  if (typeof b === "string") return { type: "text", text: b };
  if (!isObj(b)) return { type: "other", value: b };
  const t = b.type;
  if ((t === "text" || t === "input_text" || t === "output_text" || t === undefined) && typeof b.text === "string") {
    return { type: "text", text: b.text };
  }
  if (t === "thinking" && typeof b.thinking === "string") return { type: "thinking", text: b.thinking };
  if (t === "image_url" || t === "input_image" || t === "image") {
    const url = isObj(b.image_url) ? str(b.image_url.url) : (str(b.image_url) ?? str(b.url));
    return { type: "image", url };
  }
  if (t === "tool_use" || t === "function_call") {
    const call = toolCall(b);
    if (call) return { type: "tool_call", call };
  }
  if (t === "tool_result") {
    return {
      type: "tool_result",
      result: {
        toolCallId: str(b.tool_use_id),
        name: null,
        content: simplify(b.content),
        isError: b.is_error === true,
      },
    };
  }
  return { type: "other", value: b };
}

/** Anthropic tool results often hold `[{type: "text", text}]`: show the text itself. */
function simplify(content: unknown): unknown {
  if (Array.isArray(content) && content.every((c) => isObj(c) && c.type === "text")) {
    return content.map((c) => (c as Obj).text).join("\n");
  }
  return parseMaybeJson(content);
}

/** One message in the common form, from any of the known shapes. */
export function toMessage(x: Obj): ChatMessage {
  if (x.type === "function_call") {
    const call = toolCall(x);
    return { role: "assistant", name: null, parts: call ? [{ type: "tool_call", call }] : [] };
  }
  if (x.type === "function_call_output") {
    const result = { toolCallId: str(x.call_id), name: null, content: parseMaybeJson(x.output), isError: false };
    return { role: "tool", name: null, parts: [{ type: "tool_result", result }] };
  }
  const role = String(x.role);
  const name = str(x.name);
  if (role === "tool" || role === "function") {
    const result = {
      toolCallId: str(x.tool_call_id),
      name,
      content: simplify(x.content),
      isError: false,
    };
    return { role: "tool", name, parts: [{ type: "tool_result", result }] };
  }
  const parts: Part[] = [];
  const content = x.content ?? x.parts;
  if (typeof content === "string") {
    if (content.length > 0) parts.push({ type: "text", text: content });
  } else if (Array.isArray(content)) {
    parts.push(...content.map(block));
  } else if (content != null) {
    parts.push({ type: "other", value: content });
  }
  const reasoning = str(x.reasoning) ?? str(x.reasoning_content);
  if (reasoning) parts.unshift({ type: "thinking", text: reasoning });
  const calls = Array.isArray(x.tool_calls) ? x.tool_calls : [];
  for (const c of calls) {
    const call = isObj(c) ? toolCall(c) : null;
    if (call) parts.push({ type: "tool_call", call });
  }
  if (isObj(x.function_call)) {
    const call = toolCall(x.function_call);
    if (call) parts.push({ type: "tool_call", call });
  }
  return { role: role === "model" ? "assistant" : role, name, parts };
}

/**
 * The conversation a body holds, or null when it is not one: a list of messages, an object
 * with `messages` (a request), an OpenAI completion (`choices[].message`), or one message.
 */
export function toConversation(value: unknown): ChatMessage[] | null {
  if (Array.isArray(value)) {
    return value.length > 0 && value.every(isMessage) ? value.map(toMessage) : null;
  }
  if (!isObj(value)) return null;
  if (Array.isArray(value.messages) && value.messages.length > 0 && value.messages.every(isMessage)) {
    const messages = value.messages.map(toMessage);
    const system = str(value.system);
    return system ? [{ role: "system", name: null, parts: [{ type: "text", text: system }] }, ...messages] : messages;
  }
  if (Array.isArray(value.choices) && value.choices.length > 0) {
    const messages = value.choices.map((c) => (isObj(c) ? c.message : undefined));
    if (messages.every(isMessage)) return messages.map(toMessage);
    return null;
  }
  return isMessage(value) ? [toMessage(value)] : null;
}

/** The fields of a request object besides its messages (model, temperature…), or null. */
export function requestExtras(value: unknown): Obj | null {
  if (!isObj(value) || !Array.isArray(value.messages)) return null;
  const rest = Object.fromEntries(
    Object.entries(value).filter(([k]) => k !== "messages" && k !== "system"),
  );
  return Object.keys(rest).length > 0 ? rest : null;
}

/** Whether a text reads as markdown (headings, lists, emphasis, code, links, tables). */
export function looksLikeMarkdown(text: string): boolean {
  return /(^|\n)\s{0,3}(#{1,6} |[-*+] |\d+\. |> |```|\|.*\|)|\*\*[^*]+\*\*|`[^`\n]+`|\[[^\]]+\]\([^)]+\)/.test(
    text,
  );
}
