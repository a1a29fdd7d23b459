/** A version diff's line list laid out for reading: side by side, changed lines facing. */

export interface DiffLineIn {
  op: "=" | "-" | "+";
  text: string;
}

/** One row of a side-by-side diff; a null side has no line there. */
export interface SideRow {
  left: { text: string; changed: boolean } | null;
  right: { text: string; changed: boolean } | null;
}

/** Kept lines on both sides; each run of removed lines faces the run of added lines after it. */
export function sideBySide(lines: DiffLineIn[]): SideRow[] {
  const rows: SideRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const left = removed[i];
      const right = added[i];
      rows.push({
        left: left === undefined ? null : { text: left, changed: true },
        right: right === undefined ? null : { text: right, changed: true },
      });
    }
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.op === "=") {
      flush();
      rows.push({ left: { text: line.text, changed: false }, right: { text: line.text, changed: false } });
    } else if (line.op === "-") {
      if (added.length > 0) flush();
      removed.push(line.text);
    } else {
      added.push(line.text);
    }
  }
  flush();
  return rows;
}

/** A JSON value in a table cell: strings as they are, the rest as compact JSON, absent as "—". */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, " ");
}
