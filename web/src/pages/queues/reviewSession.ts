/**
 * Moving through a queue: the item shown, the items already handled this session (to go back
 * to), and the next ones the server handed out (prefetched). Pure, for a `useReducer`.
 */
import type { QueueItem } from "./reviewTypes";

export interface Session {
  /** Items reviewed or skipped in this session, oldest first. */
  handled: QueueItem[];
  /** The item being reviewed for the first time (pinned until the reviewer acts on it). */
  current: QueueItem | null;
  /** Items from the server waiting their turn. */
  upcoming: QueueItem[];
  /** When going back: the index in `handled` shown now. */
  back: number | null;
  /** Whether the server has answered at least once since the last move. */
  loaded: boolean;
}

export const START: Session = { handled: [], current: null, upcoming: [], back: null, loaded: false };

export type SessionEvent =
  | { type: "loaded"; items: QueueItem[] }
  | { type: "handled" }
  | { type: "back" }
  | { type: "forward" };

export function sessionReducer(s: Session, e: SessionEvent): Session {
  switch (e.type) {
    case "loaded": {
      const seen = new Set(s.handled.map((i) => i.id));
      if (s.current) seen.add(s.current.id);
      const fresh = e.items.filter((i) => !seen.has(i.id));
      const current = s.current ?? fresh[0] ?? null;
      const upcoming = s.current ? fresh : fresh.slice(1);
      return { ...s, current, upcoming, loaded: true };
    }
    case "handled": {
      if (s.back !== null) return forward(s);
      if (!s.current) return s;
      const [next, ...rest] = s.upcoming;
      return { ...s, handled: [...s.handled, s.current], current: next ?? null, upcoming: rest, loaded: next !== undefined };
    }
    case "back":
      if (s.handled.length === 0) return s;
      return { ...s, back: s.back === null ? s.handled.length - 1 : Math.max(0, s.back - 1) };
    case "forward":
      return forward(s);
  }
}

function forward(s: Session): Session {
  if (s.back === null) return s;
  return { ...s, back: s.back + 1 < s.handled.length ? s.back + 1 : null };
}

/** The item on screen. */
export function shown(s: Session): QueueItem | null {
  return s.back !== null ? (s.handled[s.back] ?? null) : s.current;
}

/** Whether the queue has nothing left for this reviewer. */
export function isDone(s: Session): boolean {
  return s.loaded && s.back === null && s.current === null;
}
