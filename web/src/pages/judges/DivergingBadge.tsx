import { Badge, List, Tooltip } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";

/** "Diverging", with the reasons on hover. */
export function DivergingBadge({ reasons }: { reasons: string[] }) {
  const label = reasons.length ? (
    <List size="xs" maw={360}>
      {reasons.map((r) => (
        <List.Item key={r}>{r}</List.Item>
      ))}
    </List>
  ) : (
    "The judge no longer agrees with people."
  );
  return (
    <Tooltip label={label} multiline w={380} withArrow>
      <Badge color="red" variant="filled" leftSection={<IconAlertTriangle size={12} />} data-testid="diverging-badge">
        Diverging
      </Badge>
    </Tooltip>
  );
}
