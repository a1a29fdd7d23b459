import { Anchor, Badge, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { api, unwrap, type Schemas } from "../../api/client";
import { EmptyState, ErrorState, FirstTrace, Loading } from "../../components/States";
import { formatAgo, formatCount, formatPercent } from "../../format";
import { NewProjectButton } from "./NewProjectButton";

type Project = Schemas["Project"];
type Experiment = Schemas["Experiment"];

/** Every project: its volume, error rate, last activity and latest experiment. */
export function ProjectsPage() {
  const projects = useQuery({
    queryKey: ["projects"],
    queryFn: () => unwrap(api.GET("/api/v1/projects")),
  });
  const experiments = useQueries({
    queries: (projects.data ?? []).map((p) => ({
      queryKey: ["experiments", p.name],
      queryFn: () =>
        unwrap(
          api.GET("/api/v1/projects/{project}/experiments", {
            params: { path: { project: p.name } },
          }),
        ),
    })),
  });
  if (projects.isPending) return <Loading what="projects" />;
  if (projects.isError) return <ErrorState error={projects.error} what="the projects" />;
  if (projects.data.length === 0) {
    return (
      <EmptyState title="No projects yet">
        <FirstTrace />
        <NewProjectButton />
      </EmptyState>
    );
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Projects</Title>
        <NewProjectButton />
      </Group>
      <Table striped highlightOnHover withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Project</Table.Th>
            <Table.Th ta="right">Traces</Table.Th>
            <Table.Th ta="right">Spans</Table.Th>
            <Table.Th ta="right">Span error rate</Table.Th>
            <Table.Th>Last trace</Table.Th>
            <Table.Th>Latest experiment</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {projects.data.map((p, i) => (
            <ProjectRow key={p.id} project={p} experiments={experiments[i]?.data} />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function ProjectRow({ project, experiments }: { project: Project; experiments?: Experiment[] }) {
  const base = `/projects/${encodeURIComponent(project.name)}`;
  const latest = experiments?.[0];
  const errors = project.span_count ? project.error_count / project.span_count : 0;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`${base}/traces`} fw={600}>
          {project.name}
        </Anchor>
      </Table.Td>
      <Table.Td ta="right">{formatCount(project.trace_count)}</Table.Td>
      <Table.Td ta="right">{formatCount(project.span_count)}</Table.Td>
      <Table.Td ta="right">
        <Text span c={errors > 0.05 ? "red" : undefined}>
          {formatPercent(errors)}
        </Text>
      </Table.Td>
      <Table.Td>{project.last_trace_at ? formatAgo(project.last_trace_at) : "—"}</Table.Td>
      <Table.Td>
        {latest ? (
          <Group gap="xs">
            <Anchor
              component={Link}
              to={`${base}/experiments/compare?experiments=${encodeURIComponent(latest.name)}`}
            >
              {latest.name}
            </Anchor>
            <Badge variant="light" color={latest.status === "finished" ? "gray" : "yellow"}>
              {latest.status}
            </Badge>
          </Group>
        ) : (
          <Text c="dimmed">none</Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
