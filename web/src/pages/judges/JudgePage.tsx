import { Anchor, Badge, Breadcrumbs, Code, Group, Paper, Select, Stack, Tabs, Text, Title } from "@mantine/core";
import { Link, useParams, useSearchParams } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { ErrorState, Loading } from "../../components/States";
import { AgreementPanel } from "./AgreementPanel";
import { Disagreements } from "./Disagreements";
import { DivergingBadge } from "./DivergingBadge";
import { JudgeDefinition } from "./JudgeDefinition";
import { judgesPath, readTab, readVersion, writeJudgeParams, type JudgeTab, type VersionChoice } from "./judgeUrl";
import { ThresholdEditor } from "./ThresholdEditor";
import { useAgreement, useJudge, useJudgeVersions } from "./useJudgeData";

const DISAGREEMENTS = 100;

/** One judge: its agreement with people, the disagreements, and its definition and threshold. */
export function JudgePage() {
  const params = useParams();
  const project = params.project ?? "";
  const name = params.judge ?? "";
  const [search, setSearch] = useSearchParams();
  const version = readVersion(search);
  const tab = readTab(search);
  const judge = useJudge(project, name, version);
  const versions = useJudgeVersions(project, name);
  const agreement = useAgreement(project, name, version, { limit: DISAGREEMENTS });
  const change = (c: { version?: VersionChoice | null; tab?: JudgeTab }) =>
    setSearch((current) => writeJudgeParams(current, c));

  if (judge.isPending) return <Loading what="the judge" />;
  if (judge.isError) return <ErrorState error={judge.error} what={`the judge ${name}`} />;
  const j = judge.data;
  const a = agreement.data;
  const disagreements = a?.disagreements ?? [];
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to={judgesPath(project)} size="sm">
          Judges
        </Anchor>
        <Text size="sm">{j.name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{j.name}</Title>
            {a?.diverging && <DivergingBadge reasons={a.diverging_reasons ?? []} />}
          </Group>
          {j.description && <Text c="dimmed">{j.description}</Text>}
          <Text size="sm" c="dimmed">
            Model <Code>{j.model}</Code> · writes scores named <Code>{j.score_name}</Code> · latest version v
            {j.latest_version}
          </Text>
        </Stack>
        <VersionPicker versions={versions.data ?? []} value={version} latest={j.latest_version} onChange={(v) => change({ version: v ?? null })} />
      </Group>
      <Paper withBorder p="md">
        <ThresholdEditor key={`${j.updated_at}`} project={project} judge={j} />
      </Paper>
      <Tabs value={tab} onChange={(v) => v && change({ tab: v as JudgeTab })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="agreement">Agreement with people</Tabs.Tab>
          <Tabs.Tab
            value="disagreements"
            rightSection={
              a ? (
                <Badge size="sm" variant="light" color={disagreements.length ? "red" : "gray"} circle={disagreements.length < 10}>
                  {disagreements.length}
                </Badge>
              ) : undefined
            }
          >
            Disagreements
          </Tabs.Tab>
          <Tabs.Tab value="definition">Definition</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="agreement" pt="md">
          <AgreementBody query={agreement}>{(found) => <AgreementPanel agreement={found} />}</AgreementBody>
        </Tabs.Panel>
        <Tabs.Panel value="disagreements" pt="md">
          <AgreementBody query={agreement}>
            {(found) => (
              <Disagreements
                project={project}
                judge={j.name}
                judgeVersion={found.version ?? null}
                items={found.disagreements ?? []}
                limit={DISAGREEMENTS}
              />
            )}
          </AgreementBody>
        </Tabs.Panel>
        <Tabs.Panel value="definition" pt="md">
          <JudgeDefinition judge={j} versions={versions.data ?? []} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

type Agreement = Schemas["JudgeAgreement"];

function AgreementBody({
  query,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: Error | null; data?: Agreement };
  children: (found: Agreement) => React.ReactNode;
}) {
  if (query.isError) return <ErrorState error={query.error} what="the agreement with people" />;
  if (query.isPending || !query.data) return <Loading what="the agreement with people" />;
  return <>{children(query.data)}</>;
}

function VersionPicker({
  versions,
  value,
  latest,
  onChange,
}: {
  versions: Schemas["JudgeVersion"][];
  value: VersionChoice;
  latest: number;
  onChange: (v: VersionChoice) => void;
}) {
  const data = [
    { value: "latest", label: `Latest (v${latest})` },
    ...[...versions]
      .reverse()
      .filter((v) => v.version !== latest)
      .map((v) => ({ value: String(v.version), label: `v${v.version}` })),
    { value: "all", label: "All versions" },
  ];
  const current = value === undefined || value === latest ? "latest" : String(value);
  return (
    <Select
      label="Version compared"
      data={data}
      value={current}
      onChange={(v) => onChange(v === null || v === "latest" ? undefined : v === "all" ? "all" : Number(v))}
      allowDeselect={false}
      w={200}
    />
  );
}
