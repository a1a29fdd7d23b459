import { Button, Group, Pill } from "@mantine/core";

import { activeChips, clearAll } from "./chips";
import type { TraceFilters } from "./filters";

interface Props {
  filters: TraceFilters;
  onChange: (next: TraceFilters) => void;
  experimentName: (id: string) => string;
}

/** The active filters as chips, each with a remove button, and "Clear all". */
export function FilterChips({ filters, onChange, experimentName }: Props) {
  const chips = activeChips(filters, experimentName);
  if (chips.length === 0) return null;
  return (
    <Group gap={6} aria-label="Active filters" role="list">
      {chips.map((chip) => (
        <Pill
          key={chip.id}
          role="listitem"
          size="md"
          withRemoveButton
          onRemove={() => onChange(chip.remove(filters))}
          removeButtonProps={{
            "aria-label": `Remove filter ${chip.label}`,
            "aria-hidden": false,
            tabIndex: 0,
          }}
        >
          {chip.label}
        </Pill>
      ))}
      <Button size="compact-xs" variant="subtle" onClick={() => onChange(clearAll(filters))}>
        Clear all
      </Button>
    </Group>
  );
}
