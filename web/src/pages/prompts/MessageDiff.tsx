import { Badge, Box, Group, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { useMemo } from "react";

import { sideBySide, type DiffLineIn } from "./diffRows";
import { RoleBadge } from "./MessageCards";
import type { MessageChange } from "./promptsApi";
import { TemplateText } from "./TemplateText";

export type DiffLayout = "inline" | "split";

const STATUS_COLORS: Record<MessageChange["status"], string> = {
  same: "gray",
  changed: "blue",
  added: "green",
  removed: "red",
};

const MONO = { fontFamily: "var(--mantine-font-family-monospace)", fontSize: "var(--mantine-font-size-xs)" };

/** One message position of a diff: its roles, what happened to it, and the changed lines. */
export function MessageDiff({ change, layout }: { change: MessageChange; layout: DiffLayout }) {
  const role = change.role_after ?? change.role_before ?? "user";
  return (
    <Paper withBorder p="sm" radius="md" data-testid="message-diff" data-status={change.status}>
      <Stack gap={6}>
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            Message {change.index + 1}
          </Text>
          {change.role_before && change.role_after && change.role_before !== change.role_after ? (
            <>
              <RoleBadge role={change.role_before} />
              <Text size="xs">→</Text>
              <RoleBadge role={change.role_after} />
            </>
          ) : (
            <RoleBadge role={role} />
          )}
          <Badge variant="light" color={STATUS_COLORS[change.status]} size="sm">
            {change.status}
          </Badge>
        </Group>
        <MessageDiffBody change={change} layout={layout} />
      </Stack>
    </Paper>
  );
}

function MessageDiffBody({ change, layout }: { change: MessageChange; layout: DiffLayout }) {
  if (change.status === "same") {
    return (
      <Box c="dimmed">
        <TemplateText template={change.after ?? change.before ?? ""} />
      </Box>
    );
  }
  if (change.status === "added") return <WholeText text={change.after ?? ""} op="+" />;
  if (change.status === "removed") return <WholeText text={change.before ?? ""} op="-" />;
  const lines = change.lines ?? [];
  if (lines.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Only the role changed.
      </Text>
    );
  }
  return layout === "split" ? <SplitLines lines={lines} /> : <InlineLines lines={lines} />;
}

function WholeText({ text, op }: { text: string; op: "+" | "-" }) {
  return <InlineLines lines={text.split("\n").map((line) => ({ op, text: line }))} />;
}

function lineColors(op: DiffLineIn["op"]): { bg?: string; c?: string } {
  if (op === "+") return { bg: "green.0", c: "green.9" };
  if (op === "-") return { bg: "red.0", c: "red.9" };
  return {};
}

function Line({ op, text }: { op: DiffLineIn["op"] | " "; text: string }) {
  const colors = op === " " ? {} : lineColors(op);
  return (
    <Box
      {...colors}
      px={6}
      style={{ ...MONO, whiteSpace: "pre-wrap", overflowWrap: "anywhere", display: "flex", gap: 8 }}
      data-op={op === " " ? "=" : op}
      data-testid="diff-line"
    >
      <span aria-hidden style={{ userSelect: "none", opacity: 0.6, flex: "none" }}>
        {op === "=" ? " " : op}
      </span>
      <span>{text || " "}</span>
    </Box>
  );
}

function InlineLines({ lines }: { lines: DiffLineIn[] }) {
  return (
    <Stack gap={0}>
      {lines.map((line, i) => (
        <Line key={i} op={line.op} text={line.text} />
      ))}
    </Stack>
  );
}

function SplitLines({ lines }: { lines: DiffLineIn[] }) {
  const rows = useMemo(() => sideBySide(lines), [lines]);
  return (
    <SimpleGrid cols={2} spacing={4} verticalSpacing={0}>
      {rows.flatMap((row, i) => [
        row.left ? <Line key={`l${i}`} op={row.left.changed ? "-" : "="} text={row.left.text} /> : <Line key={`l${i}`} op=" " text="" />,
        row.right ? <Line key={`r${i}`} op={row.right.changed ? "+" : "="} text={row.right.text} /> : <Line key={`r${i}`} op=" " text="" />,
      ])}
    </SimpleGrid>
  );
}
