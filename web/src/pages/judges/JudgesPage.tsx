import { Anchor, Badge, Code, Group, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { Link, useParams } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatCount } from "../../format";
import { formatFigure, METRIC_LABELS } from "./agreementFormat";
import { DivergingBadge } from "./DivergingBadge";
import { judgePath } from "./judgeUrl";
import { useAgreement, useJudges } from "./useJudgeData";

type Judge = Schemas["Judge"];

/** The project's LLM judges and, per judge, how far it agrees with people. */
export function JudgesPage() {
  const project = useParams().project ?? "";
  const judges = useJudges(project);
  if (judges.isPending) return <Loading what="judges" />;
  if (judges.isError) return <ErrorState error={judges.error} what="the judges" />;
  if (judges.data.length === 0) return <NoJudges project={project} />;
  return (
    <Stack>
      <div>
        <Title order={2}>Judges</Title>
        <Text c="dimmed" size="sm">
          LLM judges score traces in place of people. Each is only as good as its agreement with the
          people it stands in for: open one to see where they differ.
        </Text>
      </div>
      <Table striped highlightOnHover withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Judge</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>Threshold</Table.Th>
            <Table.Th ta="right">Pairs</Table.Th>
            <Table.Th ta="right">Kappa</Table.Th>
            <Table.Th ta="right">Accuracy</Table.Th>
            <Table.Th>Agreement</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {judges.data.map((judge) => (
            <JudgeRow key={judge.id} project={project} judge={judge} />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function JudgeRow({ project, judge }: { project: string; judge: Judge }) {
  const agreement = useAgreement(project, judge.name, undefined, { limit: 0 });
  const a = agreement.data;
  const numeric = a?.kind === "numeric";
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={judgePath(project, judge.name)} fw={600}>
          {judge.name}
        </Anchor>
        {judge.description && (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {judge.description}
          </Text>
        )}
      </Table.Td>
      <Table.Td>v{judge.latest_version}</Table.Td>
      <Table.Td>
        <Code>{judge.model}</Code>
      </Table.Td>
      <Table.Td>
        {judge.threshold === null || judge.threshold === undefined ? (
          <Text size="sm" c="dimmed">
            none
          </Text>
        ) : (
          <Text size="sm">
            {METRIC_LABELS[judge.threshold_metric]} {judge.threshold_metric === "mae" ? "≤" : "≥"}{" "}
            {judge.threshold}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">{a ? formatCount(a.n) : "…"}</Table.Td>
      <Table.Td ta="right">
        {a ? (numeric ? <Tooltip label="Pearson r (numeric scores)"><span>{formatFigure(a.metrics?.pearson?.value)}</span></Tooltip> : formatFigure(a.metrics?.cohen_kappa?.value)) : "…"}
      </Table.Td>
      <Table.Td ta="right">
        {a ? (numeric ? <Tooltip label="Mean absolute error (numeric scores)"><span>{formatFigure(a.metrics?.mae?.value)}</span></Tooltip> : formatFigure(a.metrics?.accuracy?.value)) : "…"}
      </Table.Td>
      <Table.Td>
        {agreement.isError ? (
          <Text size="sm" c="red">
            {agreement.error.message}
          </Text>
        ) : a ? (
          <AgreementStatus agreement={a} />
        ) : (
          <Text size="sm" c="dimmed">
            loading…
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AgreementStatus({ agreement }: { agreement: Schemas["JudgeAgreement"] }) {
  if (agreement.n === 0) {
    return (
      <Badge variant="light" color="gray">
        no human labels yet
      </Badge>
    );
  }
  if (agreement.diverging) return <DivergingBadge reasons={agreement.diverging_reasons ?? []} />;
  return (
    <Badge variant="light" color="teal">
      {agreement.threshold === null || agreement.threshold === undefined ? "no threshold" : "within threshold"}
    </Badge>
  );
}

function NoJudges({ project }: { project: string }) {
  const code = [
    "import assay",
    "from assay.scorers import llm_judge",
    "",
    "tone = llm_judge(",
    '    "tone",',
    '    "How polite is this answer?\\n\\n{{input}}\\n\\n{{output}}",',
    '    choices={"polite": 1.0, "neutral": 0.5, "rude": 0.0},',
    ")",
    `assay.push_judge("${project}", tone, threshold=0.6)`,
  ].join("\n");
  return (
    <EmptyState title="No judges in this project yet">
      <Text c="dimmed" size="sm" maw={640} ta="center">
        A judge is an LLM that scores your agent's answers by choosing among labels. Store one on the
        server, score traces with it, and let people label some of the same traces: this page then
        shows how far the judge agrees with them.
      </Text>
      <Code block maw={640} w="100%">
        {code}
      </Code>
      <Group gap={4}>
        <Text size="sm" c="dimmed">
          See docs/judges.md for the built-in judges and the agreement figures.
        </Text>
      </Group>
    </EmptyState>
  );
}
