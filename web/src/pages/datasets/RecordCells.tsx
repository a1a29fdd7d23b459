import { Anchor, Badge, Group, Highlight, Stack, Text } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import { Link } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { sourcePath } from "./datasetUrl";
import { previewValue } from "./recordValue";

const MONO = "var(--mantine-font-family-monospace)";

/** A value at a glance: text as written (search hits marked), structures as compact JSON. */
export function ValuePreview({ value, search }: { value: unknown; search: string }) {
  if (value === null || value === undefined) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const structured = typeof value !== "string";
  return (
    <Highlight
      highlight={search}
      size="sm"
      lineClamp={3}
      style={{
        whiteSpace: "pre-wrap",
        wordBreak: "break-word",
        fontFamily: structured ? MONO : undefined,
      }}
    >
      {previewValue(value)}
    </Highlight>
  );
}

/** The first few metadata pairs as "key: value". */
export function MetadataPreview({ metadata }: { metadata: Record<string, unknown> | undefined }) {
  const entries = Object.entries(metadata ?? {});
  if (entries.length === 0) return null;
  return (
    <Stack gap={0}>
      {entries.slice(0, 3).map(([key, value]) => (
        <Text key={key} size="xs" lineClamp={1}>
          <Text span c="dimmed" size="xs">
            {key}:
          </Text>{" "}
          {previewValue(value, 60)}
        </Text>
      ))}
      {entries.length > 3 && (
        <Text size="xs" c="dimmed">
          +{entries.length - 3} more
        </Text>
      )}
    </Stack>
  );
}

export function TagList({ tags }: { tags: string[] | undefined }) {
  if (!tags?.length) return null;
  return (
    <Group gap={4}>
      {tags.map((tag) => (
        <Badge key={tag} size="sm" variant="light" color="gray" tt="none">
          {tag}
        </Badge>
      ))}
    </Group>
  );
}

/** A link to the span the record came from, with the judge and the reviewer that picked it. */
export function SourceLink({
  project,
  source,
}: {
  project: string;
  source: Schemas["RecordSource"] | null | undefined;
}) {
  if (!source) return null;
  const link = (
    <Anchor
      component={Link}
      to={sourcePath(project, source)}
      size="sm"
      onClick={(e) => e.stopPropagation()}
      title={`Trace ${source.trace_id}, span ${source.span_id}`}
    >
      <Group gap={2} wrap="nowrap" component="span">
        span
        <IconExternalLink size={12} />
      </Group>
    </Anchor>
  );
  if (!source.judge && !source.reviewer && !source.review_id) return link;
  return (
    <Stack gap={0} data-testid="record-provenance">
      {link}
      {source.judge && (
        <Text size="xs" c="dimmed" title="The judge verdict that flagged this item">
          judge {source.judge}
          {source.judge_version != null && ` v${source.judge_version}`}
        </Text>
      )}
      {(source.reviewer || source.review_id) && (
        <Text size="xs" c="dimmed" title={source.review_id ? `Review ${source.review_id}` : undefined}>
          {source.reviewer ? `labelled by ${source.reviewer}` : "from a review"}
        </Text>
      )}
    </Stack>
  );
}

/** "v2", or "v2 → v5" when the record changed after it was added. */
export function VersionCell({ record }: { record: Schemas["DatasetRecord"] }) {
  const changed = record.updated_version !== record.created_version;
  return (
    <Text
      size="sm"
      c="dimmed"
      title={
        `Added in version ${record.created_version}` +
        (changed ? `, changed in version ${record.updated_version}` : "")
      }
    >
      v{record.created_version}
      {changed && ` → v${record.updated_version}`}
    </Text>
  );
}
