import { Code, SegmentedControl, Stack, Text } from "@mantine/core";
import { useMemo, useState } from "react";
import { defaultStyles, JsonView } from "react-json-view-lite";

import { Long } from "./Bits";

const EXPAND_LEVELS = 2;
/** Past this many characters of JSON, a tree opens one level only (rendering stays quick). */
const BIG_JSON = 20_000;

/** Pretty JSON text; values that JSON cannot hold are shown as text. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Plain JSON as text, folded when long. */
export function RawJson({ value }: { value: unknown }) {
  return (
    <Long maxHeight={320}>
      <Code block fz="xs" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {prettyJson(value)}
      </Code>
    </Long>
  );
}

/** A value as a collapsible JSON tree. */
export function JsonTree({ value, label }: { value: unknown; label: string }) {
  const levels = useMemo(() => (prettyJson(value).length > BIG_JSON ? 1 : EXPAND_LEVELS), [value]);
  if (typeof value !== "object" || value === null) {
    return (
      <Text size="sm" ff="monospace">
        {prettyJson(value)}
      </Text>
    );
  }
  return (
    <div style={{ fontSize: "var(--mantine-font-size-xs)", overflowWrap: "anywhere" }}>
      <JsonView
        data={value}
        shouldExpandNode={(level) => level < levels}
        style={{ ...defaultStyles, container: "" }}
        aria-label={label}
      />
    </div>
  );
}

/** Any JSON value as a tree, with a switch to the raw pretty-printed text. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const [raw, setRaw] = useState(false);
  return (
    <Stack gap={4}>
      <SegmentedControl
        size="xs"
        w="fit-content"
        value={raw ? "raw" : "tree"}
        onChange={(v) => setRaw(v === "raw")}
        data={[
          { value: "tree", label: "Tree" },
          { value: "raw", label: "Raw JSON" },
        ]}
        aria-label={`How to show ${label}`}
      />
      {raw ? <RawJson value={value} /> : <JsonTree value={value} label={label} />}
    </Stack>
  );
}
