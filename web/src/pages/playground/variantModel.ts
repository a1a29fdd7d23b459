/**
 * A playground variant as the form edits it (numbers as numbers, JSON fields as text), and
 * its conversions: from a saved version, a span or an agent, to a run body and a new version.
 */
import type { Schemas } from "../../api/client";
import { toConversation, type ChatMessage } from "../trace/messages";

export type PromptMessage = Schemas["PromptMessage"];
export type MessageRole = PromptMessage["role"];
export type PromptVersion = Schemas["PromptVersion"];
export type AgentParameter = Schemas["AgentParameter"];
export type RunVariant = Schemas["PlaygroundVariant"];
export type PromptVersionIn = Schemas["PromptVersionIn"];

/** The saved version a variant came from (version null: not saved as a version yet). */
export interface Origin {
  name: string;
  version: number | null;
  label: string | null;
}

export interface Variant {
  /** A key for the page (not sent). */
  id: string;
  /** The column's name: A, B, C, D. */
  label: string;
  kind: "prompt" | "agent";
  messages: PromptMessage[];
  model: string;
  temperature: number | null;
  maxTokens: number | null;
  topP: number | null;
  /** Other parameters, a JSON object as text ("" for none). */
  extraParams: string;
  /** Tools, a JSON list as text ("" for none). */
  tools: string;
  /** Response format, a JSON object as text ("" for none). */
  responseFormat: string;
  origin: Origin | null;
  /** What the origin held, to tell whether the variant was edited since. */
  savedKey: string | null;
  agent: string | null;
  agentParameters: AgentParameter[];
  /** Agent parameter values; objects and arrays as JSON text. */
  agentValues: Record<string, unknown>;
}

export const DEFAULT_MODEL = "gpt-4o-mini";
export const MAX_VARIANTS = 4;
const LETTERS = ["A", "B", "C", "D", "E", "F"];
const KNOWN = new Set(["temperature", "max_tokens", "max_completion_tokens", "top_p"]);
/** Request arguments of a recorded call that are not model parameters worth keeping. */
const DROPPED = new Set(["model", "stream", "stream_options", "messages", "tools", "response_format"]);

let counter = 0;
function newId(): string {
  counter += 1;
  return `v${counter}-${Date.now().toString(36)}`;
}

function jsonText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object" && Object.keys(value).length === 0 && !Array.isArray(value)) return "";
  return JSON.stringify(value, null, 2);
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function base(label: string): Variant {
  return {
    id: newId(),
    label,
    kind: "prompt",
    messages: [],
    model: DEFAULT_MODEL,
    temperature: null,
    maxTokens: null,
    topP: null,
    extraParams: "",
    tools: "",
    responseFormat: "",
    origin: null,
    savedKey: null,
    agent: null,
    agentParameters: [],
    agentValues: {},
  };
}

/** Parameters split into the three with their own fields and the rest (as JSON text). */
export function splitParams(params: Record<string, unknown>) {
  const rest = Object.fromEntries(Object.entries(params).filter(([k]) => !KNOWN.has(k) && !DROPPED.has(k)));
  return {
    temperature: num(params.temperature),
    maxTokens: num(params.max_tokens) ?? num(params.max_completion_tokens),
    topP: num(params.top_p),
    extraParams: jsonText(rest),
  };
}

/** A blank template: a system message and a user message with one variable. */
export function blankVariant(label = "A"): Variant {
  return {
    ...base(label),
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "{{question}}" },
    ],
  };
}

/** A variant holding a saved version, as it was saved. */
export function variantFromVersion(version: PromptVersion, label = "A", via: string | null = null): Variant {
  const v: Variant = {
    ...base(label),
    messages: version.messages.map((m) => ({ role: m.role, content: m.content })),
    model: version.model,
    ...splitParams(version.params ?? {}),
    tools: jsonText(version.tools),
    responseFormat: jsonText(version.response_format),
    origin: { name: version.prompt, version: version.version, label: via },
  };
  return { ...v, savedKey: contentKey(v) };
}

function textOf(message: ChatMessage): string {
  return message.parts
    .map((p) => (p.type === "text" ? p.text : p.type === "other" ? JSON.stringify(p.value) : ""))
    .filter(Boolean)
    .join("\n");
}

function asRole(role: string): MessageRole | null {
  if (role === "system" || role === "developer") return "system";
  if (role === "user" || role === "assistant") return role;
  return null;
}

/** Messages, model and parameters of a recorded LLM call (its input and `metadata.params`). */
export function variantFromSpan(span: Schemas["Span"], label = "A"): Variant {
  const params = (span.metadata?.params ?? {}) as Record<string, unknown>;
  const messages = (toConversation(span.input) ?? [])
    .map((m) => ({ role: asRole(m.role), content: textOf(m) }))
    .filter((m): m is PromptMessage => m.role !== null && m.content !== "");
  const model = span.model ?? (typeof params.model === "string" ? params.model : DEFAULT_MODEL);
  return {
    ...base(label),
    messages: messages.length > 0 ? messages : [{ role: "user", content: "" }],
    model,
    ...splitParams(params),
    tools: jsonText(params.tools),
    responseFormat: jsonText(params.response_format),
  };
}

/** A variant running a registered agent, its parameters at their defaults. */
export function variantFromAgent(agent: Schemas["Agent"], label = "A"): Variant {
  const parameters = agent.parameters ?? [];
  const values = Object.fromEntries(
    parameters.map((p) => [p.name, p.type === "object" || p.type === "array" ? jsonText(p.default) : p.default]),
  );
  return { ...base(label), kind: "agent", agent: agent.name, agentParameters: parameters, agentValues: values };
}

/** A copy for a new column (unsaved edits included). */
export function duplicateVariant(v: Variant, label: string): Variant {
  return { ...v, id: newId(), label, messages: v.messages.map((m) => ({ ...m })) };
}

/** The first column name not taken. */
export function nextLabel(variants: Variant[]): string {
  const taken = new Set(variants.map((v) => v.label));
  return LETTERS.find((l) => !taken.has(l)) ?? String(variants.length + 1);
}

/** The texts whose `{{variables}}` the variables panel asks for. */
export function variantTemplates(v: Variant): string[] {
  return v.kind === "prompt" ? v.messages.map((m) => m.content) : [];
}

function parseJson(text: string, what: string, kind: "object" | "array"): unknown {
  if (text.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON.`);
  }
  const ok = kind === "array" ? Array.isArray(value) : typeof value === "object" && value !== null && !Array.isArray(value);
  if (!ok) throw new Error(`${what} must be a JSON ${kind === "array" ? "list" : "object"}.`);
  return value;
}

/** The model parameters of a variant (throws a readable Error on invalid JSON). */
export function variantParams(v: Variant): Record<string, unknown> {
  const params = { ...((parseJson(v.extraParams, "Other parameters", "object") as Record<string, unknown>) ?? {}) };
  if (v.temperature !== null) params.temperature = v.temperature;
  if (v.maxTokens !== null) params.max_tokens = v.maxTokens;
  if (v.topP !== null) params.top_p = v.topP;
  return params;
}

/** The prompt part of a variant as a version body would hold it (throws on invalid JSON). */
export function promptBody(v: Variant) {
  return {
    messages: v.messages.map((m) => ({ role: m.role, content: m.content })),
    model: v.model.trim(),
    params: variantParams(v),
    tools: parseJson(v.tools, "Tools", "array") as Record<string, unknown>[] | null,
    response_format: parseJson(v.responseFormat, "Response format", "object") as Record<string, unknown> | null,
  };
}

/** A key of what a version holds; equal keys mean "nothing edited". */
export function contentKey(v: Variant): string | null {
  try {
    const body = promptBody(v);
    const params = Object.fromEntries(Object.entries(body.params).sort(([a], [b]) => a.localeCompare(b)));
    return JSON.stringify({ ...body, params });
  } catch {
    return null;
  }
}

/** Whether a variant differs from the version it came from (always true when unsaved). */
export function isEdited(v: Variant): boolean {
  return v.kind === "prompt" && (v.savedKey === null || contentKey(v) !== v.savedKey);
}

function agentValue(p: AgentParameter, value: unknown): unknown {
  if ((p.type === "object" || p.type === "array") && typeof value === "string") {
    return parseJson(value, `Parameter ${p.name}`, p.type) ?? p.default;
  }
  return value;
}

/** The body's `variant` of a run or a dataset run (throws a readable Error when invalid). */
export function toRunVariant(v: Variant): RunVariant {
  if (v.kind === "agent") {
    const parameters = Object.fromEntries(
      v.agentParameters.map((p) => [p.name, agentValue(p, v.agentValues[p.name])]),
    );
    return { label: v.label, agent: v.agent, parameters };
  }
  if (v.messages.length === 0) throw new Error("Add at least one message.");
  if (!v.model.trim()) throw new Error("Name a model.");
  const body = promptBody(v);
  const prompt = v.origin?.version ? { name: v.origin.name, version: v.origin.version } : null;
  return { label: v.label, ...body, prompt };
}

/** The body that saves a variant as a new version (throws a readable Error when invalid). */
export function toVersionIn(v: Variant, message: string, labels: string[]): PromptVersionIn {
  toRunVariant(v); // the same checks as a run: messages and a model
  return { ...promptBody(v), message: message.trim(), labels };
}
