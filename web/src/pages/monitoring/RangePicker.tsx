import { Button, Group, SegmentedControl, Select, TextInput } from "@mantine/core";
import { IconRefresh } from "@tabler/icons-react";
import dayjs from "dayjs";
import { useState } from "react";

import {
  PRESETS,
  bucketChoices,
  bucketLabel,
  chooseBucket,
  type RangeKey,
  type RangeParams,
  type ResolvedRange,
} from "./range";

/** URL changes the picker asks for; `null` removes a parameter. */
export type RangeChange = Partial<Record<"range" | "from" | "to" | "bucket", string | null>>;

const LOCAL_INPUT = "YYYY-MM-DDTHH:mm";

/** Presets, custom bounds, the bucket (auto or chosen) and a refresh button. */
export function RangePicker({
  params,
  resolved,
  fetching,
  onChange,
  onRefresh,
}: {
  params: RangeParams;
  resolved: ResolvedRange;
  fetching: boolean;
  onChange: (change: RangeChange) => void;
  onRefresh: () => void;
}) {
  const span = resolved.end - resolved.start;
  const auto = chooseBucket(span);
  const buckets = [
    { value: "auto", label: `Auto (${bucketLabel(auto)})` },
    ...bucketChoices(span).map((b) => ({ value: String(b), label: bucketLabel(b) })),
  ];
  const pickRange = (value: string) => {
    const range = value as RangeKey;
    if (range !== "custom") return onChange({ range, from: null, to: null });
    onChange({
      range,
      from: new Date(resolved.start * 1000).toISOString(),
      to: new Date(resolved.end * 1000).toISOString(),
    });
  };
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <SegmentedControl
        aria-label="Time range"
        value={params.range}
        onChange={pickRange}
        data={[
          ...PRESETS.map((p) => ({ value: p.key, label: p.label })),
          { value: "custom", label: "Custom" },
        ]}
      />
      {params.range === "custom" && (
        <CustomBounds
          key={`${params.from}|${params.to}`}
          from={params.from}
          to={params.to}
          onApply={(from, to) => onChange({ from, to })}
        />
      )}
      <Select
        label="Bucket"
        size="xs"
        w={150}
        data={buckets}
        value={params.bucket && params.bucket === resolved.bucket ? String(params.bucket) : "auto"}
        onChange={(value) => onChange({ bucket: !value || value === "auto" ? null : value })}
        allowDeselect={false}
      />
      <Button
        variant="default"
        size="xs"
        leftSection={<IconRefresh size={14} />}
        loading={fetching}
        onClick={onRefresh}
      >
        Refresh
      </Button>
    </Group>
  );
}

/** The two bounds of a custom range, applied together. */
function CustomBounds({
  from,
  to,
  onApply,
}: {
  from?: string;
  to?: string;
  onApply: (from: string, to: string) => void;
}) {
  const [draftFrom, setFrom] = useState(toLocalInput(from));
  const [draftTo, setTo] = useState(toLocalInput(to));
  const valid = draftFrom !== "" && draftTo !== "" && dayjs(draftFrom).isBefore(dayjs(draftTo));
  return (
    <Group gap="xs" align="flex-end">
      <TextInput
        label="From"
        type="datetime-local"
        size="xs"
        value={draftFrom}
        onChange={(e) => setFrom(e.currentTarget.value)}
      />
      <TextInput
        label="To"
        type="datetime-local"
        size="xs"
        value={draftTo}
        onChange={(e) => setTo(e.currentTarget.value)}
        error={draftFrom && draftTo && !valid ? "Must be after From" : undefined}
      />
      <Button
        size="xs"
        disabled={!valid}
        onClick={() => onApply(dayjs(draftFrom).toISOString(), dayjs(draftTo).toISOString())}
      >
        Apply
      </Button>
    </Group>
  );
}

function toLocalInput(iso: string | undefined): string {
  const when = dayjs(iso ?? "");
  return iso && when.isValid() ? when.format(LOCAL_INPUT) : "";
}
