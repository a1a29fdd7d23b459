import { Button, Group, SegmentedControl, Select, Switch, Tooltip } from "@mantine/core";
import { IconClock, IconFilter } from "@tabler/icons-react";

import type { Schemas } from "../../api/client";
import { RANGES, SORTS, type RangeKey, type Sort, type TraceFilters } from "./filters";
import { countFormFilters } from "./form";
import { SearchBox } from "./SearchBox";

const PRODUCTION = "production";
const CUSTOM = "custom";
const ANY = "any";

interface Props {
  filters: TraceFilters;
  onChange: (next: TraceFilters) => void;
  experiments: Schemas["Experiment"][];
  onMoreFilters: () => void;
}

/** Search, time window, status, experiment, order, and a button for the other filters. */
export function FilterBar({ filters, onChange, experiments, onMoreFilters }: Props) {
  const custom = !filters.range && (filters.startFrom || filters.startTo);
  const rangeValue = filters.range ?? (custom ? CUSTOM : ANY);
  const more = countFormFilters(filters);
  const experimentData = [
    { value: PRODUCTION, label: "Production log" },
    ...experiments.map((e) => ({ value: e.id, label: `Experiment: ${e.name}` })),
  ];
  if (filters.experimentId && !experiments.some((e) => e.id === filters.experimentId)) {
    const id = filters.experimentId;
    experimentData.push({ value: id, label: `Experiment ${id.slice(0, 8)}…` });
  }
  return (
    <Group gap="sm" wrap="wrap" align="center">
      <SearchBox value={filters.q} onSearch={(q) => onChange({ ...filters, q })} />
      <Select
        aria-label="Time range"
        leftSection={<IconClock size={16} />}
        w={190}
        allowDeselect={false}
        value={rangeValue}
        data={[
          { value: ANY, label: "Any time" },
          ...Object.entries(RANGES).map(([value, r]) => ({ value, label: r.label })),
          { value: CUSTOM, label: "Custom range…" },
        ]}
        onChange={(value) => {
          if (value === CUSTOM) return onMoreFilters();
          const range = value === ANY ? null : (value as RangeKey);
          onChange({ ...filters, range, startFrom: null, startTo: null });
        }}
      />
      <SegmentedControl
        aria-label="Status"
        value={filters.status ?? "all"}
        data={[
          { value: "all", label: "All" },
          { value: "ok", label: "OK" },
          { value: "error", label: "Errors" },
        ]}
        onChange={(value) =>
          onChange({ ...filters, status: value === "ok" || value === "error" ? value : null })
        }
      />
      <Select
        aria-label="Experiment"
        w={220}
        allowDeselect={false}
        searchable={experiments.length > 8}
        value={filters.experimentId ?? PRODUCTION}
        data={experimentData}
        onChange={(value) =>
          onChange({ ...filters, experimentId: value && value !== PRODUCTION ? value : null })
        }
      />
      <Select
        aria-label="Sort"
        w={190}
        allowDeselect={false}
        value={filters.sort}
        data={SORTS}
        onChange={(value) => value && onChange({ ...filters, sort: value as Sort })}
      />
      <Button
        variant={more ? "light" : "default"}
        leftSection={<IconFilter size={16} />}
        onClick={onMoreFilters}
      >
        {more ? `More filters (${more})` : "More filters"}
      </Button>
    </Group>
  );
}

/** Live mode: new traces appear at the top as they arrive. */
export function LiveSwitch({ live, onLive }: { live: boolean; onLive: (on: boolean) => void }) {
  return (
    <Tooltip label="Show new traces as they arrive, newest first" withArrow>
      <Switch
        label="Live"
        checked={live}
        onChange={(e) => onLive(e.currentTarget.checked)}
        color="green"
      />
    </Tooltip>
  );
}
