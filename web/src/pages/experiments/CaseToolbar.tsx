import { Group, SegmentedControl, Select, Text, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useState } from "react";

import type { CaseFilter, CaseSort } from "./compareModel";

const FILTER_LABELS: Record<CaseFilter, string> = {
  all: "All",
  regressed: "Regressed",
  improved: "Improved",
  errored: "Errored",
};
const SORTS: { value: CaseSort; label: string }[] = [
  { value: "regression", label: "Largest regression first" },
  { value: "improvement", label: "Largest improvement first" },
  { value: "case", label: "By case id" },
];

interface Props {
  filter: CaseFilter;
  query: string;
  sort: CaseSort;
  counts: Record<CaseFilter, number>;
  onChange: (change: { filter?: CaseFilter; query?: string; sort?: CaseSort }) => void;
}

/** Which cases to show: a status filter with counts, a search over inputs, and the order. */
export function CaseToolbar({ filter, query, sort, counts, onChange }: Props) {
  const [text, setText] = useState(query);
  const commit = useDebouncedCallback((value: string) => onChange({ query: value }), 250);
  const data = (Object.keys(FILTER_LABELS) as CaseFilter[]).map((value) => ({
    value,
    label: `${FILTER_LABELS[value]} ${counts[value].toLocaleString("en-US")}`,
  }));
  return (
    <Group justify="space-between" gap="sm">
      <Group gap="sm">
        <SegmentedControl
          aria-label="Show cases"
          data={data}
          value={filter}
          onChange={(value) => onChange({ filter: value as CaseFilter })}
        />
        <TextInput
          aria-label="Search inputs"
          placeholder="Search inputs"
          leftSection={<IconSearch size={14} />}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            commit(e.currentTarget.value);
          }}
          w={260}
        />
      </Group>
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          Order
        </Text>
        <Select
          aria-label="Order of cases"
          data={SORTS}
          value={sort}
          onChange={(value) => value && onChange({ sort: value as CaseSort })}
          allowDeselect={false}
          w={230}
        />
      </Group>
    </Group>
  );
}
