/**
 * A JSON reader that says what is wrong and where (line and column), in the same words in every
 * browser: `JSON.parse` messages differ between engines and some give no position at all.
 */

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

class JsonSyntaxError extends Error {
  constructor(
    readonly position: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** `text` parsed as JSON, or an error like "line 2, column 5: expected ',' or '}'". */
export function parseJson(text: string): JsonResult {
  try {
    new Scanner(text).document();
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      const { line, column } = lineAndColumn(text, err.position);
      return { ok: false, error: `line ${line}, column ${column}: ${err.message}` };
    }
    throw err;
  }
  return { ok: true, value: JSON.parse(text) as unknown };
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

function describe(char: string | undefined): string {
  if (char === undefined) return "the end of the text";
  if (char === "'") return "a single quote (JSON needs double quotes)";
  return `'${char}'`;
}

class Scanner {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.value();
    this.space();
    if (this.i < this.text.length) {
      this.fail(`unexpected ${describe(this.text[this.i])} after the end of the value`);
    }
  }

  private fail(reason: string, at: number = this.i): never {
    throw new JsonSyntaxError(at, reason);
  }

  private space(): void {
    while (" \t\n\r".includes(this.text[this.i] ?? "x")) this.i++;
  }

  private value(): void {
    this.space();
    const c = this.text[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(
      `expected a value (text in double quotes, a number, true, false, null, {…} or […]) ` +
        `but found ${describe(c)}`,
    );
  }

  private object(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') {
        this.fail(`expected a key in double quotes but found ${describe(this.text[this.i])}`);
      }
      this.string();
      this.space();
      if (this.text[this.i] !== ":") {
        this.fail(`expected ':' after the key but found ${describe(this.text[this.i])}`);
      }
      this.i++;
      this.value();
      this.space();
      const c = this.text[this.i];
      if (c === "}") {
        this.i++;
        return;
      }
      if (c !== ",") this.fail(`expected ',' or '}' but found ${describe(c)}`);
      const comma = this.i++;
      this.space();
      if (this.text[this.i] === "}") this.fail("a comma before '}' is not allowed", comma);
    }
  }

  private array(): void {
    this.i++;
    this.space();
    if (this.text[this.i] === "]") {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.space();
      const c = this.text[this.i];
      if (c === "]") {
        this.i++;
        return;
      }
      if (c !== ",") this.fail(`expected ',' or ']' but found ${describe(c)}`);
      const comma = this.i++;
      this.space();
      if (this.text[this.i] === "]") this.fail("a comma before ']' is not allowed", comma);
    }
  }

  private string(): void {
    const start = this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === "\\") {
        const next = this.text[this.i + 1];
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
          this.i += 6;
        } else if (next !== undefined && ESCAPES.has(next)) {
          this.i += 2;
        } else {
          this.fail(`the escape '\\${next ?? ""}' is not valid JSON`);
        }
      } else if (c < " ") {
        this.fail("a line break or tab inside text in quotes; write \\n or \\t instead");
      } else {
        this.i++;
      }
    }
    this.fail('the text in quotes is never closed (a " is missing)', start);
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail(`${describe(this.text[this.i])} does not start a valid number`);
    this.i += match[0].length;
  }
}
