/** Words and orderings for prompts: labels first by importance, moves as "v2 → v3". */
import type { LabelMove, Prompt } from "./promptsApi";

/** Labels are short lower-case words (the server's rule): production, staging, canary-eu. */
const LABEL_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const RANK: Record<string, number> = { production: 0, staging: 1 };

/** Labels in the order people look for them: production, staging, then by name. */
export function sortLabels(labels: string[]): string[] {
  return [...labels].sort((a, b) => (RANK[a] ?? 2) - (RANK[b] ?? 2) || a.localeCompare(b));
}

/** A prompt's labels as `[label, version]`, production first. */
export function labelEntries(prompt: Pick<Prompt, "labels">): [string, number][] {
  const labels = prompt.labels ?? {};
  return sortLabels(Object.keys(labels)).map((label) => [label, labels[label] ?? 0]);
}

/** Why `label` cannot be a label, or null when it can. */
export function labelProblem(label: string): string | null {
  if (!label) return "Pick or type a label.";
  if (!LABEL_PATTERN.test(label)) {
    return "Use lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (at most 64).";
  }
  return null;
}

export function labelColor(label: string): string {
  if (label === "production") return "green";
  if (label === "staging") return "yellow";
  return "gray";
}

/** "v2", or a word for no version on that side of a move. */
export function versionText(version: number | null | undefined, none: string): string {
  return version === null || version === undefined ? none : `v${version}`;
}

/** "v2 → v3", "new → v1", "v3 → removed". */
export function moveText(move: Pick<LabelMove, "from_version" | "to_version">): string {
  return `${versionText(move.from_version, "new")} → ${versionText(move.to_version, "removed")}`;
}

/** The labels offered in the move dialog: the usual ones and the prompt's own. */
export function labelChoices(prompt: Pick<Prompt, "labels">): string[] {
  return sortLabels([...new Set(["production", "staging", ...Object.keys(prompt.labels ?? {})])]);
}

/** The ids of moves a later move undid (their "Undo" is spent). */
export function undoneMoveIds(moves: Pick<LabelMove, "undo_of">[]): Set<string> {
  return new Set(moves.map((m) => m.undo_of).filter((id): id is string => !!id));
}

/** Why a move was made, for the history: an undo names the move it undid (found in `moves`)
 * instead of the id the server writes as its reason. */
export function moveReason(move: Pick<LabelMove, "reason" | "undo_of">, moves: LabelMove[]): string {
  if (!move.undo_of) return move.reason ?? "";
  const undone = moves.find((m) => m.id === move.undo_of);
  const own = move.reason && move.reason !== `undo of ${move.undo_of}` ? ` ${move.reason}` : "";
  if (!undone) return `Undid an earlier move.${own}`;
  const why = undone.reason ? ` (${undone.reason})` : "";
  return `Undid ${moveText(undone)}${why}.${own}`;
}

/** Whether `typed` confirms deleting `name`: the name itself, spaces around it ignored. */
export function confirmsName(typed: string, name: string): boolean {
  return name !== "" && typed.trim() === name;
}
