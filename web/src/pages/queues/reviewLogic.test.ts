import { describe, expect, it } from "vitest";

import { correctedValue, EMPTY_FORM, formFromReview, missing, setAnswer, toScores } from "./reviewForm";
import { focusOf, reviewKeyAction, type FocusContext } from "./reviewKeys";
import { isDone, sessionReducer, shown, START, type Session } from "./reviewSession";
import type { QueueItem, ScoreConfig } from "./reviewTypes";

function config(name: string, kind: ScoreConfig["kind"], extra: Partial<ScoreConfig> = {}): ScoreConfig {
  return { id: name, name, kind, archived: false, created_at: "", updated_at: "", ...extra };
}

const correctness = config("correctness", "categorical", {
  categories: [
    { label: "correct", value: 1 },
    { label: "partly", value: 0.5 },
    { label: "wrong", value: 0 },
  ],
});
const safe = config("safe", "boolean");
const stars = config("stars", "numeric", { min: 1, max: 5, step: 1 });
const notes = config("notes", "text");
const CONFIGS = [correctness, safe, stars, notes];
const NOWHERE: FocusContext = { typing: false, slider: false, button: false, config: null };

describe("review form", () => {
  it("sends one value per answered config, in the API's form", () => {
    let form = setAnswer(EMPTY_FORM, "correctness", "partly");
    form = setAnswer(form, "safe", false);
    form = setAnswer(form, "stars", 4);
    form = setAnswer(form, "notes", "  ");
    expect(toScores(CONFIGS, form)).toEqual({ correctness: "partly", safe: false, stars: 4 });
  });

  it("lists what still needs an answer (free text is optional)", () => {
    const form = setAnswer(EMPTY_FORM, "safe", true);
    expect(missing(CONFIGS, form).map((c) => c.name)).toEqual(["correctness", "stars"]);
  });

  it("prefills from an earlier review", () => {
    const form = formFromReview({
      id: "r", item_id: "i", trace_id: "t", reviewer: "dana", created_at: "", score_ids: [],
      scores: { correctness: "wrong" }, comment: "made up a date", corrected_output: { a: 1 },
    });
    expect(form.answers).toEqual({ correctness: "wrong" });
    expect(form.comment).toBe("made up a date");
    expect(form.corrected).toContain('"a": 1');
  });

  it("reads a corrected output as JSON only when it is JSON", () => {
    expect(correctedValue("")).toBeNull();
    expect(correctedValue("Friday.")).toBe("Friday.");
    expect(correctedValue('{"eta": "Friday"}')).toEqual({ eta: "Friday" });
    expect(correctedValue("{not json")).toBe("{not json");
  });
});

describe("review keys", () => {
  it("answers the first unanswered question with a number key", () => {
    expect(reviewKeyAction({ key: "2" }, NOWHERE, CONFIGS, EMPTY_FORM)).toEqual({
      type: "answer", config: "correctness", answer: "partly",
    });
    const answered = setAnswer(EMPTY_FORM, "correctness", "correct");
    expect(reviewKeyAction({ key: "2" }, NOWHERE, CONFIGS, answered)).toEqual({
      type: "answer", config: "safe", answer: false,
    });
  });

  it("answers the focused question, and ignores numbers out of range", () => {
    const focus = { ...NOWHERE, config: "safe" };
    expect(reviewKeyAction({ key: "1" }, focus, CONFIGS, EMPTY_FORM)).toEqual({ type: "answer", config: "safe", answer: true });
    expect(reviewKeyAction({ key: "3" }, focus, CONFIGS, EMPTY_FORM)).toBeNull();
  });

  it("moves with Enter and the arrows, except on a slider", () => {
    expect(reviewKeyAction({ key: "Enter" }, NOWHERE, CONFIGS, EMPTY_FORM)).toEqual({ type: "submit" });
    expect(reviewKeyAction({ key: "ArrowLeft" }, NOWHERE, CONFIGS, EMPTY_FORM)).toEqual({ type: "back" });
    expect(reviewKeyAction({ key: "ArrowRight" }, NOWHERE, CONFIGS, EMPTY_FORM)).toEqual({ type: "skip" });
    expect(reviewKeyAction({ key: "ArrowRight" }, { ...NOWHERE, slider: true }, CONFIGS, EMPTY_FORM)).toBeNull();
  });

  it("leaves keys to text fields, but Ctrl+Enter submits", () => {
    const typing = { ...NOWHERE, typing: true };
    expect(reviewKeyAction({ key: "1" }, typing, CONFIGS, EMPTY_FORM)).toBeNull();
    expect(reviewKeyAction({ key: "Enter" }, typing, CONFIGS, EMPTY_FORM)).toBeNull();
    expect(reviewKeyAction({ key: "Enter", ctrlKey: true }, typing, CONFIGS, EMPTY_FORM)).toEqual({ type: "submit" });
    expect(reviewKeyAction({ key: "c", metaKey: true }, NOWHERE, CONFIGS, EMPTY_FORM)).toBeNull();
  });

  it("tells typing from picking", () => {
    const group = document.createElement("div");
    group.dataset.config = "safe";
    const radio = document.createElement("input");
    radio.type = "radio";
    const area = document.createElement("textarea");
    group.append(radio, area);
    expect(focusOf(radio)).toEqual({ typing: false, slider: false, button: false, config: "safe" });
    const back = document.createElement("button");
    expect(focusOf(back).button).toBe(true);
    expect(reviewKeyAction({ key: "Enter" }, focusOf(back), CONFIGS, EMPTY_FORM)).toBeNull();
    expect(focusOf(area).typing).toBe(true);
    expect(focusOf(null)).toEqual(NOWHERE);
  });
});

const item = (id: string): QueueItem => ({ id, trace_id: `t${id}`, added_at: "", reviews: 0, status: "pending" });

describe("review session", () => {
  it("pins the shown item while prefetched ones wait", () => {
    let s: Session = sessionReducer(START, { type: "loaded", items: [item("a"), item("b")] });
    expect(shown(s)?.id).toBe("a");
    s = sessionReducer(s, { type: "loaded", items: [item("b"), item("a"), item("c")] });
    expect(shown(s)?.id).toBe("a");
    expect(s.upcoming.map((i) => i.id)).toEqual(["b", "c"]);
    s = sessionReducer(s, { type: "handled" });
    expect(shown(s)?.id).toBe("b");
    // A late answer that still holds the item just handled does not bring it back.
    s = sessionReducer(s, { type: "loaded", items: [item("a"), item("b"), item("c")] });
    expect(s.upcoming.map((i) => i.id)).toEqual(["c"]);
  });

  it("goes back through handled items and forward again", () => {
    let s = sessionReducer(START, { type: "loaded", items: [item("a"), item("b"), item("c")] });
    s = sessionReducer(s, { type: "handled" });
    s = sessionReducer(s, { type: "handled" });
    expect(shown(s)?.id).toBe("c");
    s = sessionReducer(s, { type: "back" });
    s = sessionReducer(s, { type: "back" });
    s = sessionReducer(s, { type: "back" });
    expect(shown(s)?.id).toBe("a");
    s = sessionReducer(s, { type: "handled" });
    expect(shown(s)?.id).toBe("b");
    s = sessionReducer(s, { type: "forward" });
    expect(shown(s)?.id).toBe("c");
  });

  it("is done when the server has nothing more", () => {
    let s = sessionReducer(START, { type: "loaded", items: [item("a")] });
    s = sessionReducer(s, { type: "handled" });
    expect(isDone(s)).toBe(false);
    s = sessionReducer(s, { type: "loaded", items: [] });
    expect(isDone(s)).toBe(true);
    expect(isDone(sessionReducer(START, { type: "loaded", items: [] }))).toBe(true);
  });
});
