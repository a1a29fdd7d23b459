import {
  Alert,
  Anchor,
  Badge,
  Button,
  Flex,
  Group,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconPlus, IconSearch } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { api, unwrap, type Schemas } from "../../api/client";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo, formatCount, formatTime } from "../../format";
import { useCan } from "../auth/useAuth";
import { readDatasetParams, writeDatasetParams } from "./datasetUrl";
import { DeleteRecordModal } from "./DeleteRecordModal";
import { HowToAddRecords } from "./HowToAddRecords";
import { RecordModal, type RecordTarget } from "./RecordForm";
import { RecordsTable } from "./RecordsTable";
import { VersionsPanel } from "./VersionsPanel";

type DatasetRecord = Schemas["DatasetRecord"];

/** One dataset: its records at a chosen version, search, versions, and editing on the latest. */
export function DatasetPage() {
  const { project = "", dataset = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const params = readDatasetParams(search);
  const canAdd = useCan(project, "annotator");
  const canEdit = useCan(project, "engineer");
  const [target, setTarget] = useState<RecordTarget | null>(null);
  const [deleting, setDeleting] = useState<DatasetRecord | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Remounts the search box when the search is cleared from elsewhere.
  const [searchBox, setSearchBox] = useState(0);
  const info = useQuery({
    queryKey: ["datasets", project, dataset],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/datasets/{name}", {
          params: { path: { project, name: dataset } },
        }),
      ),
  });
  if (info.isPending) return <Loading what="the dataset" />;
  if (info.isError) return <ErrorState error={info.error} what={`dataset ${dataset}`} />;

  const latest = info.data.version;
  const shown = params.version ?? latest;
  const old = shown < latest;
  const go = (change: { version?: number | null; q?: string }) =>
    setSearch(writeDatasetParams(search, change), { replace: change.version === undefined });
  const saved = (message: string) => {
    setNotice(message);
    go({ version: null });
  };
  const open = (record: DatasetRecord) =>
    setTarget(old || !canEdit ? { kind: "view", record, version: shown } : { kind: "edit", record });
  return (
    <Stack>
      <DatasetHeader
        project={project}
        dataset={info.data}
        canAdd={canAdd}
        latest={!old}
        onAdd={() => setTarget({ kind: "new" })}
      />
      {notice && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {old && (
        <Alert color="yellow" title={`Viewing version ${shown} (the latest is ${latest})`}>
          <Group justify="space-between">
            <Text size="sm">
              These are the records as they were then. Old versions are read-only.
            </Text>
            <Button size="xs" variant="white" onClick={() => go({ version: null })}>
              Show the latest
            </Button>
          </Group>
        </Alert>
      )}
      <Flex gap="md" align="flex-start">
        <Stack style={{ flex: 1, minWidth: 0 }}>
          <SearchBox key={searchBox} value={params.q} onChange={(q) => go({ q })} />
          <RecordsTable
            project={project}
            dataset={dataset}
            version={params.version}
            search={params.q}
            editable={!old && canEdit}
            onOpen={open}
            onDelete={setDeleting}
            empty={
              <NoRecords
                project={project}
                dataset={dataset}
                search={params.q}
                oldVersion={old ? shown : undefined}
                onAdd={canAdd ? () => setTarget({ kind: "new" }) : undefined}
                onClearSearch={() => {
                  go({ q: "" });
                  setSearchBox((n) => n + 1);
                }}
              />
            }
          />
        </Stack>
        <VersionsPanel
          project={project}
          dataset={dataset}
          selected={params.version}
          onSelect={(version, isLatest) => go({ version: isLatest ? null : version })}
        />
      </Flex>
      <RecordModal
        project={project}
        dataset={dataset}
        target={target}
        onClose={() => setTarget(null)}
        onSaved={saved}
      />
      <DeleteRecordModal
        project={project}
        dataset={dataset}
        record={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={saved}
      />
    </Stack>
  );
}

function DatasetHeader({
  project,
  dataset,
  canAdd,
  latest,
  onAdd,
}: {
  project: string;
  dataset: Schemas["Dataset"];
  /** Whether the caller may add records (annotator and up). */
  canAdd: boolean;
  /** Whether the latest version is shown (old ones are read-only). */
  latest: boolean;
  onAdd: () => void;
}) {
  return (
    <Group justify="space-between" align="flex-start">
      <Stack gap={2}>
        <Anchor component={Link} to={`/projects/${encodeURIComponent(project)}/datasets`} size="sm">
          ← Datasets
        </Anchor>
        <Group gap="sm">
          <Title order={2}>{dataset.name}</Title>
          <Badge variant="light">version {dataset.version}</Badge>
        </Group>
        {dataset.description && <Text size="sm">{dataset.description}</Text>}
        <Text size="sm" c="dimmed">
          {formatCount(dataset.record_count)}{" "}
          {dataset.record_count === 1 ? "record" : "records"} · updated{" "}
          <span title={formatTime(dataset.updated_at)}>{formatAgo(dataset.updated_at)}</span>
        </Text>
      </Stack>
      {canAdd && (
        <Button leftSection={<IconPlus size={16} />} onClick={onAdd} disabled={!latest}>
          Add record
        </Button>
      )}
    </Group>
  );
}

/** The search box; typing updates the URL after a short pause. */
function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  const write = useDebouncedCallback(onChange, 300);
  return (
    <TextInput
      aria-label="Search records"
      placeholder="Search input and expected answers…"
      leftSection={<IconSearch size={16} />}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        write(e.currentTarget.value);
      }}
      maw={480}
    />
  );
}

function NoRecords({
  project,
  dataset,
  search,
  oldVersion,
  onAdd,
  onClearSearch,
}: {
  project: string;
  dataset: string;
  search: string;
  oldVersion: number | undefined;
  /** Absent when the caller may not add records. */
  onAdd?: () => void;
  onClearSearch: () => void;
}) {
  if (search) {
    return (
      <EmptyState title={`No records match “${search}”`}>
        <Text size="sm" c="dimmed">
          The search looks in inputs and expected answers.
        </Text>
        <Button variant="default" onClick={onClearSearch}>
          Clear the search
        </Button>
      </EmptyState>
    );
  }
  if (oldVersion !== undefined) {
    return <EmptyState title={`Version ${oldVersion} had no records`} />;
  }
  return (
    <EmptyState title="No records yet">
      {onAdd && (
        <>
          <Button leftSection={<IconPlus size={16} />} onClick={onAdd}>
            Add a record
          </Button>
          <Text size="sm" c="dimmed">
            or add many at once:
          </Text>
        </>
      )}
      <HowToAddRecords project={project} dataset={dataset} />
    </EmptyState>
  );
}
