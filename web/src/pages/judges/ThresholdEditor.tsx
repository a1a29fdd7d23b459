import { Alert, Button, Group, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, unwrap, type Schemas } from "../../api/client";
import { useCan } from "../auth/useAuth";
import { METRIC_LABELS, type Metric } from "./agreementFormat";

const METRICS = Object.entries(METRIC_LABELS).map(([value, label]) => ({ value, label }));

/** The agreement under which the judge is flagged as diverging; saved with PATCH (engineers and
 * up; read-only for the others). */
export function ThresholdEditor({ project, judge }: { project: string; judge: Schemas["Judge"] }) {
  const canWrite = useCan(project, "engineer");
  const [threshold, setThreshold] = useState<number | string>(judge.threshold ?? "");
  const [metric, setMetric] = useState<Metric>(judge.threshold_metric);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/v1/projects/{project}/judges/{name}", {
          params: { path: { project, name: judge.name } },
          body: { threshold: threshold === "" ? null : Number(threshold), threshold_metric: metric },
        }),
      ),
    onSuccess: async () => {
      await Promise.all(
        ["judge", "judges", "judge-agreement"].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key, project] }),
        ),
      );
    },
  });
  const changed =
    metric !== judge.threshold_metric ||
    (threshold === "" ? judge.threshold != null : Number(threshold) !== judge.threshold);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (canWrite) save.mutate();
      }}
    >
      <Stack gap="xs">
        <Group align="flex-end" gap="xs" wrap="wrap">
          <Select
            label="Flag the judge when"
            data={METRICS}
            value={metric}
            onChange={(v) => v && setMetric(v as Metric)}
            allowDeselect={false}
            readOnly={!canWrite}
            w={200}
          />
          <NumberInput
            label={metric === "mae" ? "rises above" : "falls below"}
            placeholder="no threshold"
            value={threshold}
            onChange={setThreshold}
            min={-1}
            max={1}
            step={0.05}
            decimalScale={3}
            readOnly={!canWrite}
            w={140}
          />
          {canWrite && (
            <Button type="submit" variant="light" loading={save.isPending} disabled={!changed}>
              Save threshold
            </Button>
          )}
        </Group>
        {canWrite && (
          <Text size="xs" c="dimmed">
              Leave the number empty for no threshold. The judge is also flagged when its agreement falls
            significantly from one week to the next.
          </Text>
        )}
        {save.isError && (
          <Alert color="red" title="Could not save the threshold" role="alert">
            {save.error.message}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
