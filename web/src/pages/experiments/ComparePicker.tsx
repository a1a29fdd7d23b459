import { Group, MultiSelect, Select } from "@mantine/core";

interface Props {
  names: string[];
  baseline: string | null;
  compared: string[];
  onChange: (experiments: string[]) => void;
}

/** Choose the baseline and the experiments compared with it (at least one). */
export function ComparePicker({ names, baseline, compared, onChange }: Props) {
  return (
    <Group gap="sm" align="flex-end">
      <Select
        label="Baseline"
        data={names}
        value={baseline}
        onChange={(value) => value && onChange([value, ...compared.filter((n) => n !== value)])}
        searchable
        allowDeselect={false}
        w={240}
      />
      <MultiSelect
        label="Compared with the baseline"
        data={names.filter((n) => n !== baseline)}
        value={compared}
        onChange={(value) => baseline && value.length > 0 && onChange([baseline, ...value])}
        searchable
        placeholder={compared.length ? undefined : "Pick experiments"}
        miw={300}
        maw={720}
      />
    </Group>
  );
}
