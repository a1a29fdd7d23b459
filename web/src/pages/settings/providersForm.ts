/** The provider dialog's draft: which provider, its kind, base URL and key, checked before sending. */
import type { ProviderKey, ProviderKeyIn } from "./providersApi";

export type ProviderChoice = "openai" | "anthropic" | "custom";
export type ProviderKind = ProviderKeyIn["kind"] & string;

export interface ProviderDraft {
  choice: ProviderChoice;
  /** The model prefix of a custom provider (`groq` for `groq/llama-3.1-8b`). */
  customName: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKey: string;
}

export type ProviderErrors = Partial<Record<"customName" | "baseUrl" | "apiKey", string>>;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export function emptyProviderDraft(taken: string[] = []): ProviderDraft {
  const choice: ProviderChoice = !taken.includes("openai") ? "openai" : !taken.includes("anthropic") ? "anthropic" : "custom";
  return { choice, customName: "", kind: choice === "anthropic" ? "anthropic" : "openai", baseUrl: "", apiKey: "" };
}

/** The draft of a saved provider; the key stays empty (it is never sent back). */
export function draftFromProvider(p: ProviderKey): ProviderDraft {
  const choice: ProviderChoice = p.name === "openai" || p.name === "anthropic" ? p.name : "custom";
  return { choice, customName: choice === "custom" ? p.name : "", kind: p.kind, baseUrl: p.base_url ?? "", apiKey: "" };
}

/** The provider's name: openai, anthropic, or the custom prefix. */
export function providerName(draft: ProviderDraft): string {
  return draft.choice === "custom" ? draft.customName.trim() : draft.choice;
}

/** The kind the provider speaks: fixed for openai and anthropic, chosen for a custom one. */
export function providerKind(draft: ProviderDraft): ProviderKind {
  return draft.choice === "custom" ? draft.kind : draft.choice;
}

/** What is wrong with the draft, per field (empty when it can be sent). */
export function providerProblems(draft: ProviderDraft, { editing, taken }: { editing: boolean; taken: string[] }): ProviderErrors {
  const errors: ProviderErrors = {};
  const name = providerName(draft);
  if (draft.choice === "custom") {
    if (!name) errors.customName = "Give the model prefix, e.g. groq for groq/llama-3.1-8b.";
    else if (!NAME_PATTERN.test(name)) errors.customName = "Use letters, digits, '_', '.' or '-', starting with a letter or digit.";
  }
  if (!editing && name && taken.includes(name) && !errors.customName) {
    errors.customName = `${name} is set already; edit it in the table.`;
  }
  const url = draft.baseUrl.trim();
  if (url && !/^https?:\/\/[^\s/]+/.test(url)) errors.baseUrl = "Give an http:// or https:// URL.";
  return errors;
}

/** The PUT body; an empty key is left out (on an edit: keep the stored one). */
export function providerBody(draft: ProviderDraft): ProviderKeyIn {
  const body: ProviderKeyIn = { kind: providerKind(draft), base_url: draft.baseUrl.trim() || null };
  const key = draft.apiKey.trim();
  if (key) body.api_key = key;
  return body;
}

/** A model to try the provider with, one the provider surely has. */
export function suggestedTestModel(p: Pick<ProviderKey, "name" | "kind">): string {
  if (p.kind === "anthropic") return "claude-3-5-haiku-latest";
  return p.name === "openai" ? "gpt-4o-mini" : "";
}
