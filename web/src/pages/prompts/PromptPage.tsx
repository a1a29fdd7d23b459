import { Anchor, Breadcrumbs, Grid, Stack, Tabs, Text } from "@mantine/core";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { ErrorState, Loading } from "../../components/States";
import { useCan } from "../auth/useAuth";
import { LabelHistory } from "./LabelHistory";
import { MoveLabelModal } from "./MoveLabelModal";
import { PromptCompare } from "./PromptCompare";
import { PromptHeader } from "./PromptHeader";
import { usePrompt, usePromptVersions, promptsPath, type Prompt, type PromptVersion } from "./promptsApi";
import { defaultComparison, readPromptUrl, writePromptUrl, type PromptTab } from "./promptUrl";
import { VersionList } from "./VersionList";
import { VersionView } from "./VersionView";

type UrlChange = Parameters<typeof writePromptUrl>[1];

/** One prompt: where its labels point, its versions, the label history and a diff of two versions. */
export function PromptPage() {
  const params = useParams();
  const project = params.project ?? "";
  const name = params.prompt ?? "";
  const prompt = usePrompt(project, name);
  const versions = usePromptVersions(project, name);
  if (prompt.isPending || versions.isPending) return <Loading what="the prompt" />;
  if (prompt.isError) return <ErrorState error={prompt.error} what={`the prompt ${name}`} />;
  if (versions.isError) return <ErrorState error={versions.error} what={`the versions of ${name}`} />;
  return <PromptBody project={project} prompt={prompt.data} versions={versions.data} />;
}

function PromptBody({ project, prompt, versions }: { project: string; prompt: Prompt; versions: PromptVersion[] }) {
  const [search, setSearch] = useSearchParams();
  const url = readPromptUrl(search);
  const canMove = useCan(project, "engineer");
  const [moving, setMoving] = useState(false);
  const change = (c: UrlChange) => setSearch((current) => writePromptUrl(current, c));
  const numbers = versions.map((v) => v.version);
  const selected = versions.find((v) => v.version === url.version) ?? versions[0];
  const compared = defaultComparison(numbers, selected?.version);
  const hrefOf = (version: number) => `?${writePromptUrl(search, { version }).toString()}`;
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to={promptsPath(project)} size="sm">
          Prompts
        </Anchor>
        <Text size="sm">{prompt.name}</Text>
      </Breadcrumbs>
      <PromptHeader project={project} prompt={prompt} versions={versions.length} />
      <Tabs value={url.tab} onChange={(v) => v && change({ tab: v as PromptTab })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="versions">Versions ({versions.length})</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
          <Tabs.Tab value="diff">Compare</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="versions" pt="md">
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <VersionList
                versions={versions}
                selected={selected?.version ?? 0}
                hrefOf={hrefOf}
                onSelect={(version) => change({ version })}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              {selected && (
                <VersionView project={project} version={selected} canMove={canMove} onMoveLabel={() => setMoving(true)} />
              )}
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <LabelHistory project={project} prompt={prompt.name} canMove={canMove} />
        </Tabs.Panel>
        <Tabs.Panel value="diff" pt="md">
          <PromptCompare
            project={project}
            prompt={prompt.name}
            versions={numbers}
            from={url.from ?? compared.from}
            to={url.to ?? compared.to}
            onChange={(c) => change({ from: c.from, to: c.to })}
          />
        </Tabs.Panel>
      </Tabs>
      {selected && (
        <MoveLabelModal
          project={project}
          prompt={prompt}
          versions={numbers}
          version={selected.version}
          opened={moving}
          onClose={() => setMoving(false)}
        />
      )}
    </Stack>
  );
}
