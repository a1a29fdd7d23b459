/** A judge's prompt template split into text and `{{variables}}`, to show the variables apart. */
export interface PromptPart {
  text: string;
  variable: boolean;
}

export function promptParts(prompt: string): PromptPart[] {
  const parts: PromptPart[] = [];
  const pattern = /\{\{\s*([^{}]+?)\s*\}\}/g;
  let last = 0;
  for (const match of prompt.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ text: prompt.slice(last, at), variable: false });
    parts.push({ text: match[1] ?? "", variable: true });
    last = at + match[0].length;
  }
  if (last < prompt.length) parts.push({ text: prompt.slice(last), variable: false });
  return parts;
}
