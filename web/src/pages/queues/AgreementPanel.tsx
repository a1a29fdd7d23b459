import { Alert, Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { ErrorState, Loading } from "../../components/States";
import { formatCount } from "../../format";
import { alphaVerdict } from "./agreement";
import { formatReviewValue, traceLink } from "./links";
import { reviewApi, reviewKeys } from "./reviewApi";
import type { ConfigAgreement } from "./reviewTypes";

/** How much reviewers agree, per score config, and the items where they do not. */
export function AgreementPanel({ project, queue }: { project: string; queue: string }) {
  const agreement = useQuery({
    queryKey: reviewKeys.agreement(project, queue),
    queryFn: () => reviewApi.agreement(project, queue),
  });
  if (agreement.isPending) return <Loading what="the agreement" />;
  if (agreement.isError) return <ErrorState error={agreement.error} what="the agreement between reviewers" />;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Krippendorff&apos;s alpha: 1 is perfect agreement, 0 is what chance alone gives. Above 0.8 reviewers agree well;
        below 0.67 the rubric or the instructions probably need work. The interval comes from resampling the items.
      </Text>
      {agreement.data.map((a) => (
        <ConfigCard key={a.config} project={project} agreement={a} />
      ))}
    </Stack>
  );
}

function ConfigCard({ project, agreement }: { project: string; agreement: ConfigAgreement }) {
  const a = { ...agreement, warnings: agreement.warnings ?? [], disagreements: agreement.disagreements ?? [] };
  const verdict = alphaVerdict(a.alpha ?? null);
  const reviewers = [...new Set(a.disagreements.flatMap((d) => Object.keys(d.values)))].sort();
  return (
    <Paper withBorder p="md" radius="md" data-testid="agreement-card">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={4}>{a.config}</Title>
            <Text size="sm" c="dimmed">
              {a.kind}, {formatCount(a.items)} items with 2+ reviews
            </Text>
          </Group>
          <Group gap="xs">
            <Text size="xl" fw={700}>
              α = {a.alpha == null ? "—" : a.alpha.toFixed(2)}
            </Text>
            {a.ci_low != null && a.ci_high != null && (
              <Text size="sm" c="dimmed">
                [{a.ci_low.toFixed(2)}, {a.ci_high.toFixed(2)}]
              </Text>
            )}
            <Badge color={verdict.color} variant="light">
              {verdict.label}
            </Badge>
          </Group>
        </Group>
        {a.warnings.map((w) => (
          <Alert key={w} color="yellow" p="xs">
            {w}
          </Alert>
        ))}
        {a.disagreements.length === 0 ? (
          <Text size="sm" c="dimmed">
            No disagreements.
          </Text>
        ) : (
          <Table verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Disagreement ({a.disagreements.length})</Table.Th>
                {reviewers.map((r) => (
                  <Table.Th key={r}>{r}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.disagreements.map((d) => (
                <Table.Tr key={d.item_id}>
                  <Table.Td>
                    <Anchor component={Link} to={traceLink(project, d.trace_id, d.span_id)}>
                      {d.trace_id.slice(0, 12)}
                    </Anchor>
                  </Table.Td>
                  {reviewers.map((r) => (
                    <Table.Td key={r}>{r in d.values ? formatReviewValue(d.values[r]) : ""}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
