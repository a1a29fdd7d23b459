import { Button, Group, Select } from "@mantine/core";
import { IconFilePlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";

import { playgroundApi, playgroundKeys } from "./playgroundApi";
import type { PlaygroundStart } from "./playgroundUrl";

/** The value of the version picker: a label, a version number, or the latest. */
function versionValue(start: PlaygroundStart): string | null {
  if (start.kind !== "prompt") return null;
  if (start.version !== null) return `version:${start.version}`;
  return start.label ? `label:${start.label}` : "latest";
}

function fromVersionValue(name: string, value: string): PlaygroundStart {
  if (value.startsWith("version:")) return { kind: "prompt", name, version: Number(value.slice(8)), label: null };
  if (value.startsWith("label:")) return { kind: "prompt", name, version: null, label: value.slice(6) };
  return { kind: "prompt", name, version: null, label: null };
}

/** A prompt opens at production when it has that label, else at its latest version. */
function openPrompt(name: string, labels: Record<string, number> | undefined): PlaygroundStart {
  return { kind: "prompt", name, version: null, label: labels?.production ? "production" : null };
}

/** Where to start: a saved prompt (at a version or label), a blank template, or an agent. */
export function StartBar({
  project,
  start,
  onStart,
}: {
  project: string;
  start: PlaygroundStart;
  onStart: (start: PlaygroundStart) => void;
}) {
  const prompts = useQuery({ queryKey: playgroundKeys.prompts(project), queryFn: () => playgroundApi.prompts(project) });
  const agents = useQuery({ queryKey: playgroundKeys.agents(project), queryFn: () => playgroundApi.agents(project) });
  const name = start.kind === "prompt" ? start.name : null;
  const versions = useQuery({
    queryKey: playgroundKeys.versions(project, name ?? ""),
    queryFn: () => playgroundApi.versions(project, name ?? ""),
    enabled: name !== null,
  });
  const prompt = prompts.data?.find((p) => p.name === name);
  const versionData = [
    ...Object.entries(prompt?.labels ?? {}).map(([label, v]) => ({ value: `label:${label}`, label: `${label} (v${v})` })),
    { value: "latest", label: prompt ? `latest (v${prompt.latest_version})` : "latest" },
    ...(versions.data ?? []).map((v) => ({
      value: `version:${v.version}`,
      label: v.message ? `v${v.version} — ${v.message.slice(0, 60)}` : `v${v.version}`,
    })),
  ];
  const selected = versionValue(start);
  if (selected && !versionData.some((d) => d.value === selected)) {
    versionData.push({ value: selected, label: selected.replace(/^version:/, "v").replace(/^label:/, "") });
  }
  const promptNames = (prompts.data ?? []).map((p) => p.name);
  if (name && !promptNames.includes(name)) promptNames.unshift(name);
  return (
    <Group align="flex-end" gap="sm">
      <Select
        label="Prompt"
        placeholder={prompts.isError ? "Prompts could not be loaded" : promptNames.length ? "Open a saved prompt" : "No saved prompts yet"}
        data={promptNames}
        value={name}
        onChange={(v) => v && onStart(openPrompt(v, prompts.data?.find((p) => p.name === v)?.labels))}
        searchable
        w={260}
        disabled={prompts.isError}
      />
      {name && (
        <Select
          label="Version"
          data={versionData}
          value={selected}
          onChange={(v) => v && onStart(fromVersionValue(name, v))}
          allowDeselect={false}
          w={260}
        />
      )}
      <Button variant="default" leftSection={<IconFilePlus size={16} />} onClick={() => onStart({ kind: "new" })}>
        Blank prompt
      </Button>
      {agents.isSuccess && agents.data.length > 0 && (
        <Select
          label="Agent"
          placeholder="Run a registered agent"
          data={agents.data.map((a) => a.name)}
          value={start.kind === "agent" ? start.name : null}
          onChange={(v) => v && onStart({ kind: "agent", name: v })}
          w={220}
        />
      )}
    </Group>
  );
}
