import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";

import { ApiError, api, unwrap, type Schemas } from "../../api/client";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo, formatCount, formatTime } from "../../format";
import { useCan } from "../auth/useAuth";
import { datasetPath } from "./datasetUrl";
import { HowToAddRecords } from "./HowToAddRecords";
import { NewDatasetModal } from "./NewDatasetModal";

/** The project's datasets: size, latest version, description and last change. */
export function DatasetsPage() {
  const { project = "" } = useParams();
  const canWrite = useCan(project, "engineer");
  const [creating, { open, close }] = useDisclosure(false);
  const datasets = useQuery({
    queryKey: ["datasets", project],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{project}/datasets", { params: { path: { project } } }),
      ),
  });
  const header = (
    <Group justify="space-between">
      <Title order={2}>Datasets</Title>
      {canWrite && (
        <Button leftSection={<IconPlus size={16} />} onClick={open}>
          New dataset
        </Button>
      )}
    </Group>
  );
  // A project that does not exist yet has no datasets; the first one creates it.
  const missing = datasets.error instanceof ApiError && datasets.error.status === 404;
  let body;
  if (datasets.isPending) body = <Loading what="datasets" />;
  else if (datasets.isError && !missing) {
    body = <ErrorState error={datasets.error} what="the datasets" />;
  } else if (missing || datasets.data?.length === 0) {
    body = (
      <EmptyState title="No datasets yet">
        <Text c="dimmed" size="sm" maw={680} ta="center">
          A dataset holds the cases your agent is tested on: an input, the expected answer and
          notes. Every change makes a new version, so experiments can say what they ran on.
          Create one with “New dataset”, or add records in one of these ways:
        </Text>
        <HowToAddRecords project={project} />
      </EmptyState>
    );
  } else body = <DatasetsTable project={project} datasets={datasets.data ?? []} />;
  return (
    <Stack>
      {header}
      {body}
      <NewDatasetModal project={project} opened={creating} onClose={close} />
    </Stack>
  );
}

function DatasetsTable({ project, datasets }: { project: string; datasets: Schemas["Dataset"][] }) {
  return (
    <Table striped highlightOnHover withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Dataset</Table.Th>
          <Table.Th ta="right">Records</Table.Th>
          <Table.Th>Latest version</Table.Th>
          <Table.Th>Description</Table.Th>
          <Table.Th>Updated</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {datasets.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>
              <Anchor component={Link} to={datasetPath(project, d.name)} fw={600}>
                {d.name}
              </Anchor>
            </Table.Td>
            <Table.Td ta="right">{formatCount(d.record_count)}</Table.Td>
            <Table.Td>
              <Badge variant="light" color="gray">
                v{d.version}
              </Badge>
            </Table.Td>
            <Table.Td maw={420}>
              <Text size="sm" c={d.description ? undefined : "dimmed"} lineClamp={2}>
                {d.description || "—"}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" title={formatTime(d.updated_at)}>
                {formatAgo(d.updated_at)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
