import { Badge, Group, Text } from "@mantine/core";

import { labelColor, sortLabels } from "./promptText";

/** One label; `production` stands out (filled), the others are light. */
export function LabelBadge({ label, version }: { label: string; version?: number }) {
  const production = label === "production";
  return (
    <Badge
      color={labelColor(label)}
      variant={production ? "filled" : "light"}
      size={production ? "md" : "sm"}
      tt="none"
      data-testid="label-badge"
      data-label={label}
    >
      {version === undefined ? label : `${label} → v${version}`}
    </Badge>
  );
}

/** Labels in order (production first); `versions` adds where each points. */
export function LabelBadges({ labels, versions, none }: { labels: string[]; versions?: Record<string, number>; none?: string }) {
  if (labels.length === 0) {
    return none ? (
      <Text size="sm" c="dimmed">
        {none}
      </Text>
    ) : null;
  }
  return (
    <Group gap={6}>
      {sortLabels(labels).map((label) => (
        <LabelBadge key={label} label={label} version={versions?.[label]} />
      ))}
    </Group>
  );
}
