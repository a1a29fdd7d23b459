import { diffWords } from "diff";

/** A piece of the new text: kept, added, or removed from the old one. */
export interface DiffPart {
  text: string;
  kind: "same" | "added" | "removed";
}

/** Texts longer than this are diffed on their first this many characters only. */
export const DIFF_LIMIT = 4000;
/** Milliseconds one diff may take before we give up and show the plain text. */
const TIMEOUT_MS = 40;

export interface WordDiff {
  parts: DiffPart[];
  /** The texts were longer than {@link DIFF_LIMIT}; only their starts were compared. */
  clipped: boolean;
}

/**
 * The word-level difference from ``before`` to ``after``, or null when it took too long
 * (texts too different to highlight usefully).
 */
export function wordDiff(before: string, after: string): WordDiff | null {
  const clipped = before.length > DIFF_LIMIT || after.length > DIFF_LIMIT;
  const changes = diffWords(before.slice(0, DIFF_LIMIT), after.slice(0, DIFF_LIMIT), {
    timeout: TIMEOUT_MS,
  });
  if (!changes) return null;
  const parts: DiffPart[] = changes.map((c) => ({
    text: c.value,
    kind: c.added ? "added" : c.removed ? "removed" : "same",
  }));
  if (after.length > DIFF_LIMIT) parts.push({ text: after.slice(DIFF_LIMIT), kind: "same" });
  return { parts, clipped };
}

/** Whether a diff changed anything. */
export function hasChanges(diff: WordDiff): boolean {
  return diff.parts.some((p) => p.kind !== "same");
}
