/**
 * The variables a mustache template asks for, so the playground can give each an input.
 *
 * Counted: `{{name}}`, `{{{name}}}`, `{{& name}}`, and the names of sections `{{#name}}` and
 * inverted sections `{{^name}}`. A dotted name `{{user.name}}` asks for its first segment
 * (`user`). Names inside a `{{#section}}` are looked up in the section's value first, so they
 * are not top-level variables; inside an inverted section `{{^x}}` nothing is pushed, so they
 * are. Comments `{{! … }}`, partials `{{> … }}`, closing tags and `{{.}}` ask for nothing.
 */

const TAG = /\{\{(\{)?\s*([#^/!>&]?)\s*([^}]*?)\s*\}?\}\}/g;

/** The first segment of a tag's name, or null for `.` and empty names. */
function topName(raw: string): string | null {
  if (raw === "" || raw === ".") return null;
  const first = raw.split(".")[0]?.trim() ?? "";
  return first === "" ? null : first;
}

/** Top-level variables of one template, in order of first use, without duplicates. */
export function templateVariables(source: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  // Open `{{#x}}` sections (an inverted section is on the stack too, but does not hide names).
  const stack: { name: string; pushes: boolean }[] = [];
  const add = (name: string | null) => {
    if (name !== null && !seen.has(name)) {
      seen.add(name);
      found.push(name);
    }
  };
  for (const match of source.matchAll(TAG)) {
    const sigil = match[2] ?? "";
    const raw = match[3] ?? "";
    const hidden = stack.some((s) => s.pushes);
    if (sigil === "!" || sigil === ">") continue;
    if (sigil === "/") {
      const at = stack.map((s) => s.name).lastIndexOf(raw);
      if (at >= 0) stack.splice(at);
      continue;
    }
    if (!hidden) add(topName(raw));
    if (sigil === "#" || sigil === "^") stack.push({ name: raw, pushes: sigil === "#" });
  }
  return found;
}

/** The variables of several templates (every message of every variant), in order of first use. */
export function variablesOf(templates: Iterable<string>): string[] {
  const all: string[] = [];
  for (const source of templates) {
    for (const name of templateVariables(source)) {
      if (!all.includes(name)) all.push(name);
    }
  }
  return all;
}

/** What a dataset record's input fills in: its keys for a dict, else `{input: value}`. */
export function variablesFromInput(input: unknown): Record<string, unknown> {
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    return { ...(input as Record<string, unknown>) };
  }
  return { input };
}

/** A variable's value as the text of its input: strings as they are, anything else as JSON. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}
