/**
 * Keyboard shortcuts of the review page, as a pure mapping from a key press (and where the
 * focus is) to an action. Number keys answer the focused config, or the first one unanswered.
 */
import { answerForKey, firstUnanswered, pickable, type Answer, type ReviewForm } from "./reviewForm";
import type { ScoreConfig } from "./reviewTypes";

export type ReviewAction =
  | { type: "answer"; config: string; answer: Answer }
  | { type: "submit" }
  | { type: "back" }
  | { type: "skip" }
  | { type: "comment" }
  | { type: "dataset" };

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

/** Where the key was pressed: typing in a text field, on a slider, inside a config's controls. */
export interface FocusContext {
  typing: boolean;
  slider: boolean;
  /** On a button that is not an answer: Enter presses it. */
  button: boolean;
  /** The config whose controls hold the focus, if any. */
  config: string | null;
}

export const SHORTCUTS: [string, string][] = [
  ["1 – 9", "pick a label of the focused (or first unanswered) question"],
  ["Enter", "submit the review"],
  ["→", "skip this item"],
  ["←", "back to the previous item"],
  ["C", "write a comment"],
  ["D", "submit and add to a dataset"],
  ["Ctrl + Enter", "submit while typing"],
  ["Esc", "leave a text box"],
];

export function reviewKeyAction(
  press: KeyPress,
  focus: FocusContext,
  configs: ScoreConfig[],
  form: ReviewForm,
): ReviewAction | null {
  const { key } = press;
  if (focus.typing) {
    return key === "Enter" && (press.ctrlKey || press.metaKey) ? { type: "submit" } : null;
  }
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (key === "Enter") return focus.button ? null : { type: "submit" };
  if (!focus.slider && key === "ArrowLeft") return { type: "back" };
  if (!focus.slider && key === "ArrowRight") return { type: "skip" };
  if (key === "c" || key === "C") return { type: "comment" };
  if (key === "d" || key === "D") return { type: "dataset" };
  if (/^[1-9]$/.test(key)) {
    const focused = configs.find((c) => c.name === focus.config && pickable(c));
    const config = focused ?? firstUnanswered(configs, form) ?? configs.find(pickable);
    if (!config) return null;
    const answer = answerForKey(config, Number(key));
    return answer === undefined ? null : { type: "answer", config: config.name, answer };
  }
  return null;
}

/** The focus context of a DOM element (the event's target). */
export function focusOf(target: EventTarget | null): FocusContext {
  if (!(target instanceof HTMLElement)) return { typing: false, slider: false, button: false, config: null };
  const tag = target.tagName;
  const inputType = tag === "INPUT" ? (target as HTMLInputElement).type : "";
  const typing =
    tag === "TEXTAREA" ||
    tag === "SELECT" ||
    target.isContentEditable ||
    (tag === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(inputType));
  const role = target.getAttribute("role");
  const slider = role === "slider";
  const button = (tag === "BUTTON" || tag === "A" || role === "button" || role === "tab") && role !== "radio";
  const config = target.closest<HTMLElement>("[data-config]")?.dataset.config ?? null;
  return { typing, slider, button, config };
}
