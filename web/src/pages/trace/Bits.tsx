import { Group, Spoiler, Stack, Text, Typography } from "@mantine/core";
import type { ReactNode } from "react";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

import { looksLikeMarkdown } from "./messages";

/** A titled block of the detail panel, with room for a control on the right. */
export function Section({
  title,
  right,
  children,
  testId,
}: {
  title: string;
  right?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Stack gap={6} data-testid={testId} aria-label={title} role="region">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" fw={700} tt="uppercase" c="dimmed" style={{ letterSpacing: 0.4 }}>
          {title}
        </Text>
        {right}
      </Group>
      {children}
    </Stack>
  );
}

/** A label over its value, for rows of facts (duration, tokens, cost…). */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** Content taller than `maxHeight` folds behind "Show more". */
export function Long({ children, maxHeight = 280 }: { children: ReactNode; maxHeight?: number }) {
  return (
    <Spoiler maxHeight={maxHeight} showLabel="Show more" hideLabel="Show less" transitionDuration={0}>
      {children}
    </Spoiler>
  );
}

export function Markdown({ text }: { text: string }) {
  return (
    <Typography fz="sm" style={{ overflowWrap: "anywhere" }}>
      <ReactMarkdown remarkPlugins={[remarkGfm]}>{text}</ReactMarkdown>
    </Typography>
  );
}

/** Text as written (line breaks kept), or rendered when it is markdown (or `markdown` says so). */
export function TextBody({ text, markdown }: { text: string; markdown?: boolean }) {
  if (text === "") {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        empty text
      </Text>
    );
  }
  const body =
    markdown || looksLikeMarkdown(text) ? (
      <Markdown text={text} />
    ) : (
      <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {text}
      </Text>
    );
  return <Long>{body}</Long>;
}
