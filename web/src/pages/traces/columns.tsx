import { Anchor, Badge, Group, Text } from "@mantine/core";
import { createColumnHelper } from "@tanstack/react-table";
import { Link } from "react-router-dom";

import { formatAgo, formatCost, formatCount, formatDuration, formatTime } from "../../format";
import { ScoreBadges } from "./ScoreBadges";
import type { TraceSummary } from "./useTraceList";

/** The sortable columns, by the API's sort key. */
export type SortKey = "start_time" | "duration" | "tokens" | "cost";

export interface ColumnLayout {
  /** A CSS grid track. */
  width: string;
  sortKey?: SortKey;
  align?: "right";
}

export const LAYOUT: Record<string, ColumnLayout> = {
  name: { width: "minmax(140px, 1.2fr)" },
  start_time: { width: "160px", sortKey: "start_time" },
  duration: { width: "76px", sortKey: "duration", align: "right" },
  tokens: { width: "72px", sortKey: "tokens", align: "right" },
  cost: { width: "72px", sortKey: "cost", align: "right" },
  status: { width: "64px" },
  tags: { width: "minmax(70px, 0.7fr)" },
  scores: { width: "minmax(100px, 1fr)" },
  input: { width: "minmax(140px, 1.5fr)" },
  output: { width: "minmax(140px, 1.5fr)" },
};

const col = createColumnHelper<TraceSummary>();

/** One line of text, cut with an ellipsis; the whole text shows on hover. */
function Preview({ text }: { text: string | null | undefined }) {
  if (!text) {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Text span size="sm" truncate="end" title={text} display="block">
      {text}
    </Text>
  );
}

function Status({ status, errors }: { status: TraceSummary["status"]; errors: number }) {
  if (status === "error") {
    return (
      <Badge color="red" variant="light" size="sm" title={`${errors} span(s) failed`}>
        error
      </Badge>
    );
  }
  if (errors > 0) {
    return (
      <Badge color="orange" variant="light" size="sm" title={`${errors} span(s) failed inside`}>
        ok*
      </Badge>
    );
  }
  return (
    <Badge color={status === "ok" ? "green" : "gray"} variant="light" size="sm">
      {status === "ok" ? "ok" : "unset"}
    </Badge>
  );
}

/** The columns of the trace list; the name links to the trace view of `project`. */
export function traceColumns(project: string) {
  const base = `/projects/${encodeURIComponent(project)}/traces/`;
  const columns = [
    col.accessor("name", {
      header: "Name",
      cell: ({ row }) => (
        <Anchor
          component={Link}
          to={base + row.original.trace_id}
          size="sm"
          fw={600}
          truncate="end"
          display="block"
          title={row.original.name}
          onClick={(e) => e.stopPropagation()}
        >
          {row.original.name}
        </Anchor>
      ),
    }),
    col.accessor("start_time", {
      header: "Started",
      cell: ({ getValue }) => (
        <Text span size="sm" title={formatAgo(getValue())} style={{ whiteSpace: "nowrap" }}>
          {formatTime(getValue())}
        </Text>
      ),
    }),
    col.accessor("duration_ms", {
      id: "duration",
      header: "Latency",
      cell: ({ getValue }) => formatDuration(getValue()),
    }),
    col.accessor("total_tokens", {
      id: "tokens",
      header: "Tokens",
      cell: ({ row: { original: t } }) => (
        <span title={`${formatCount(t.prompt_tokens)} prompt, ${formatCount(t.completion_tokens)} completion`}>
          {t.total_tokens ? formatCount(t.total_tokens) : "—"}
        </span>
      ),
    }),
    col.accessor("cost", {
      header: "Cost",
      cell: ({ getValue }) => (getValue() ? formatCost(getValue()) : "—"),
    }),
    col.accessor("status", {
      header: "Status",
      cell: ({ row }) => <Status status={row.original.status} errors={row.original.error_count} />,
    }),
    col.accessor("tags", {
      header: "Tags",
      cell: ({ getValue }) => (
        <Group gap={4} wrap="nowrap" style={{ overflow: "hidden" }} title={getValue().join(", ")}>
          {getValue().map((tag) => (
            <Badge key={tag} size="sm" variant="outline" color="gray" tt="none">
              {tag}
            </Badge>
          ))}
        </Group>
      ),
    }),
    col.accessor("scores", {
      header: "Scores",
      cell: ({ getValue }) => <ScoreBadges scores={getValue()} />,
    }),
    col.accessor("input_preview", {
      id: "input",
      header: "Input",
      cell: ({ getValue }) => <Preview text={getValue()} />,
    }),
    col.accessor("output_preview", {
      id: "output",
      header: "Output",
      cell: ({ getValue }) => <Preview text={getValue()} />,
    }),
  ];
  return columns;
}
