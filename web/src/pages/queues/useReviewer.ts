import { useState } from "react";

const KEY = "assay.reviewer";

/** Until sign-in exists, reviews are signed with a name typed once and kept in this browser. */
export function useReviewer(): { reviewer: string | null; setReviewer: (name: string) => void } {
  const [reviewer, setState] = useState<string | null>(() => window.localStorage.getItem(KEY));
  const setReviewer = (name: string) => {
    const clean = name.trim() || "local";
    window.localStorage.setItem(KEY, clean);
    setState(clean);
  };
  return { reviewer, setReviewer };
}
