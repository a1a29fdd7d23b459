import { CloseButton, TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useEffect, useState } from "react";

/** Wait this long after the last key before searching. */
const DEBOUNCE_MS = 400;

interface Props {
  value: string | null;
  onSearch: (q: string | null) => void;
}

/** Full-text search over inputs and outputs; searches as the user pauses typing, or on Enter. */
export function SearchBox({ value, onSearch }: Props) {
  const [text, setText] = useState(value ?? "");
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // the URL changed (a chip removed, the back button): show its search, unless it is ours
    setShown(value);
    if ((value ?? "") !== text.trim()) setText(value ?? "");
  }
  useEffect(() => {
    const wanted = text.trim() || null;
    if (wanted === value) return;
    const timer = window.setTimeout(() => onSearch(wanted), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, value, onSearch]);
  return (
    <TextInput
      aria-label="Search inputs and outputs"
      placeholder="Search inputs and outputs…"
      leftSection={<IconSearch size={16} />}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") onSearch(text.trim() || null);
      }}
      rightSection={
        text ? (
          <CloseButton
            size="sm"
            aria-label="Clear search"
            onClick={() => {
              setText("");
              onSearch(null);
            }}
          />
        ) : null
      }
      style={{ flex: 1, minWidth: 220 }}
    />
  );
}
