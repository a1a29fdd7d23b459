import { Anchor, Table, Text } from "@mantine/core";
import { Link } from "react-router-dom";

import { formatAgo, formatTime } from "../../format";
import { LabelBadges } from "./LabelBadges";
import type { PromptVersion } from "./promptsApi";

interface Props {
  versions: PromptVersion[];
  selected: number;
  /** The link that selects a version (keeps the rest of the URL). */
  hrefOf: (version: number) => string;
  onSelect: (version: number) => void;
}

/** Every version, newest first: number, commit message, author, time and labels. */
export function VersionList({ versions, selected, hrefOf, onSelect }: Props) {
  return (
    <Table highlightOnHover verticalSpacing="xs" withTableBorder aria-label="Versions">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Version</Table.Th>
          <Table.Th>Message</Table.Th>
          <Table.Th>Saved</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {versions.map((v) => {
          const isSelected = v.version === selected;
          return (
            <Table.Tr
              key={v.version}
              data-testid="version-row"
              data-version={v.version}
              aria-selected={isSelected}
              bg={isSelected ? "indigo.0" : undefined}
              style={{ cursor: "pointer" }}
              onClick={() => onSelect(v.version)}
            >
              <Table.Td style={{ verticalAlign: "top" }}>
                <Anchor component={Link} to={hrefOf(v.version)} fw={isSelected ? 700 : 600} onClick={(e) => e.stopPropagation()}>
                  v{v.version}
                </Anchor>
              </Table.Td>
              <Table.Td style={{ verticalAlign: "top" }}>
                <Text size="sm" lineClamp={2} c={v.message ? undefined : "dimmed"} fs={v.message ? undefined : "italic"}>
                  {v.message || "no message"}
                </Text>
                <LabelBadges labels={v.labels ?? []} />
              </Table.Td>
              <Table.Td style={{ verticalAlign: "top" }}>
                <Text size="sm" title={formatTime(v.created_at)} style={{ whiteSpace: "nowrap" }}>
                  {formatAgo(v.created_at)}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {v.author ?? "unknown author"}
                </Text>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
