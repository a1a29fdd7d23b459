import { SegmentedControl, Stack, Text } from "@mantine/core";
import { useState } from "react";

import { Section, TextBody } from "./Bits";
import { Conversation } from "./Conversation";
import { JsonTree, RawJson } from "./JsonBlock";
import { requestExtras, toConversation } from "./messages";

type Mode = "read" | "tree" | "raw";

/**
 * A span's input, output or expected value rendered for people: a conversation when it holds
 * chat messages, text (markdown when it reads as markdown) when it is text, else a JSON tree;
 * a switch shows the JSON tree or the raw JSON of anything structured.
 */
export function BodyView({ title, value, markdown }: { title: string; value: unknown; markdown?: boolean }) {
  const [mode, setMode] = useState<Mode>("read");
  const structured = typeof value === "object" && value !== null;
  const conversation = structured ? toConversation(value) : null;
  const modes = conversation
    ? [
        { value: "read", label: "Conversation" },
        { value: "tree", label: "Tree" },
        { value: "raw", label: "Raw JSON" },
      ]
    : [
        { value: "read", label: "Tree" },
        { value: "raw", label: "Raw JSON" },
      ];
  const control = structured ? (
    <SegmentedControl
      size="xs"
      value={mode === "tree" && !conversation ? "read" : mode}
      onChange={(v) => setMode(v as Mode)}
      data={modes}
      aria-label={`How to show the ${title.toLowerCase()}`}
    />
  ) : undefined;
  return (
    <Section title={title} right={control} testId={`body-${title.toLowerCase()}`}>
      <Body value={value} mode={mode} conversation={conversation} markdown={markdown} title={title} />
    </Section>
  );
}

function Body({
  value,
  mode,
  conversation,
  markdown,
  title,
}: {
  value: unknown;
  mode: Mode;
  conversation: ReturnType<typeof toConversation>;
  markdown?: boolean;
  title: string;
}) {
  if (value === null || value === undefined) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        none recorded
      </Text>
    );
  }
  if (typeof value === "string") return <TextBody text={value} markdown={markdown} />;
  if (typeof value !== "object") return <JsonTree value={value} label={title} />;
  if (mode === "raw") return <RawJson value={value} />;
  if (mode === "read" && conversation) {
    const extras = requestExtras(value);
    return (
      <Stack gap="xs">
        <Conversation messages={conversation} />
        {extras && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              Other request fields
            </Text>
            <JsonTree value={extras} label="request fields" />
          </Stack>
        )}
      </Stack>
    );
  }
  return <JsonTree value={value} label={title} />;
}
