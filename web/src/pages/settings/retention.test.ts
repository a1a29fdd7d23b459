import { describe, expect, it } from "vitest";

import { checkRetention, draftFrom, retentionText } from "./retention";

describe("retention setting", () => {
  it("starts from the saved value, or keep forever", () => {
    expect(draftFrom(14)).toEqual({ keepForever: false, days: "14" });
    expect(draftFrom(null)).toEqual({ keepForever: true, days: "30" });
  });

  it("sends null to keep forever and whole days otherwise", () => {
    expect(checkRetention({ keepForever: true, days: "abc" })).toEqual({ ok: true, value: null });
    expect(checkRetention({ keepForever: false, days: " 90 " })).toEqual({ ok: true, value: 90 });
  });

  it("refuses what the server would refuse, saying what to give", () => {
    for (const days of ["", "0", "-3", "1.5", "40000", "ten"]) {
      const checked = checkRetention({ keepForever: false, days });
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error).toContain("1 to 36500");
    }
  });

  it("says what the setting does", () => {
    expect(retentionText(null)).toBe("Traces are kept forever.");
    expect(retentionText(1)).toBe("Traces older than 1 day are deleted by a scheduled job.");
    expect(retentionText(30)).toContain("30 days");
  });
});
