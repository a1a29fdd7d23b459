import { describe, expect, it } from "vitest";

import { formatSigned, isSignificant, toneOf } from "./numbers";

describe("numbers", () => {
  it("signs differences with a real minus", () => {
    expect(formatSigned(0.125)).toBe("+0.125");
    expect(formatSigned(-0.25)).toBe("−0.250");
    expect(formatSigned(0)).toBe("±0");
    expect(formatSigned(null)).toBe("—");
    expect(formatSigned(-1500, (v) => `${v} ms`)).toBe("−1500 ms");
  });

  it("calls a change better or worse by which way is better", () => {
    expect(toneOf(0.1)).toBe("better");
    expect(toneOf(-0.1)).toBe("worse");
    expect(toneOf(-12, true)).toBe("better");
    expect(toneOf(1e-12)).toBe("same");
    expect(toneOf(undefined)).toBe("same");
  });

  it("calls a change significant when its interval leaves out zero", () => {
    expect(isSignificant(0.1, 0.3)).toBe(true);
    expect(isSignificant(-0.3, -0.1)).toBe(true);
    expect(isSignificant(-0.1, 0.3)).toBe(false);
    expect(isSignificant(null, 0.3)).toBe(false);
  });
});
