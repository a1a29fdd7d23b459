/**
 * A mustache template split into plain text and tags, so `{{variables}}` and the `{{#section}}`
 * tags around optional blocks can be shown apart from the words around them.
 */

export type TemplatePart =
  | { kind: "text"; text: string }
  /** `{{name}}` or `{{{name}}}`: a value put in. */
  | { kind: "variable"; text: string; name: string }
  /** `{{#name}}`, `{{^name}}` (start of an optional block) and `{{/name}}` (its end). */
  | { kind: "section"; text: string; name: string }
  /** `{{! note }}`: not part of the message. */
  | { kind: "comment"; text: string };

const TAG = /\{\{\{\s*([^{}]+?)\s*\}\}\}|\{\{\s*([#^/!&]?)\s*([^{}]*?)\s*\}\}/g;

function tagPart(raw: string, triple: string | undefined, sigil: string, name: string): TemplatePart {
  if (triple !== undefined) return { kind: "variable", text: raw, name: triple };
  if (sigil === "!") return { kind: "comment", text: raw };
  if (sigil === "#" || sigil === "^" || sigil === "/") return { kind: "section", text: raw, name };
  return { kind: "variable", text: raw, name };
}

/** The template's text and tags, in order; joining every part's `text` gives the template back. */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(TAG)) {
    const at = match.index ?? 0;
    const [raw, triple, sigil = "", name = ""] = match;
    if (triple === undefined && sigil === "" && name === "") continue;
    if (at > last) parts.push({ kind: "text", text: template.slice(last, at) });
    parts.push(tagPart(raw, triple, sigil, name));
    last = at + raw.length;
  }
  if (last < template.length) parts.push({ kind: "text", text: template.slice(last) });
  return parts;
}
