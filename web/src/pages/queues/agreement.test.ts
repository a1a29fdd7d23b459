import { describe, expect, it } from "vitest";

import { alphaVerdict } from "./agreement";
import { formatReviewValue, traceLink } from "./links";

describe("alphaVerdict", () => {
  it("reads alpha by Krippendorff's thresholds", () => {
    expect(alphaVerdict(0.9).label).toBe("good agreement");
    expect(alphaVerdict(0.7).label).toBe("tentative");
    expect(alphaVerdict(0.1).label).toBe("low agreement");
    expect(alphaVerdict(null).label).toBe("not enough reviews");
  });
});

describe("links and values", () => {
  it("links to the span of an item", () => {
    expect(traceLink("my bot", "t1", "s 2")).toBe("/projects/my%20bot/traces/t1?span=s%202");
    expect(traceLink("p", "t1", null)).toBe("/projects/p/traces/t1");
  });
  it("formats review values", () => {
    expect(formatReviewValue(true)).toBe("yes");
    expect(formatReviewValue(0.333)).toBe("0.33");
    expect(formatReviewValue("partly")).toBe("partly");
    expect(formatReviewValue(null)).toBe("—");
  });
});
