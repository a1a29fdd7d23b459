import { ActionIcon, Button, Center, Group, Loader, Table, Text, Tooltip } from "@mantine/core";
import { useIntersection } from "@mantine/hooks";
import { IconEye, IconPencil, IconTrash } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";

import { api, unwrap, type Schemas } from "../../api/client";
import { ErrorState, Loading } from "../../components/States";
import {
  MetadataPreview,
  SourceLink,
  TagList,
  ValuePreview,
  VersionCell,
} from "./RecordCells";

type DatasetRecord = Schemas["DatasetRecord"];

const PAGE = 100;

/** The records of one version matching the search, loaded a page at a time as you scroll. */
export function RecordsTable({
  project,
  dataset,
  version,
  search,
  editable,
  onOpen,
  onDelete,
  empty,
}: {
  project: string;
  dataset: string;
  version: number | undefined;
  search: string;
  editable: boolean;
  onOpen: (record: DatasetRecord) => void;
  onDelete: (record: DatasetRecord) => void;
  /** What to show when no record matches. */
  empty: ReactNode;
}) {
  const records = useInfiniteQuery({
    queryKey: ["datasets", project, dataset, "records", version ?? "latest", search],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/projects/{project}/datasets/{name}/records", {
          params: {
            path: { project, name: dataset },
            query: { version, q: search || undefined, cursor: pageParam, limit: PAGE },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const { ref, entry } = useIntersection({ rootMargin: "300px" });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = records;
  useEffect(() => {
    if (entry?.isIntersecting && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [entry?.isIntersecting, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (records.isPending) return <Loading what="records" />;
  if (records.isError) return <ErrorState error={records.error} what="the records" />;
  const rows = records.data.pages.flatMap((p) => p.items);
  if (rows.length === 0) return <>{empty}</>;
  return (
    <>
      <Table highlightOnHover withTableBorder verticalSpacing="sm" data-testid="records-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="28%">Input</Table.Th>
            <Table.Th w="28%">Expected</Table.Th>
            <Table.Th miw={170}>Metadata</Table.Th>
            <Table.Th miw={90}>Tags</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((record) => (
            <Table.Tr
              key={record.id}
              onClick={() => onOpen(record)}
              style={{ cursor: "pointer" }}
              data-testid="record-row"
            >
              <Table.Td>
                <ValuePreview value={record.input} search={search} />
              </Table.Td>
              <Table.Td>
                <ValuePreview value={record.expected} search={search} />
              </Table.Td>
              <Table.Td miw={170} maw={260}>
                <MetadataPreview metadata={record.metadata} />
              </Table.Td>
              <Table.Td miw={90}>
                <TagList tags={record.tags} />
              </Table.Td>
              <Table.Td>
                <SourceLink project={project} source={record.source} />
              </Table.Td>
              <Table.Td>
                <VersionCell record={record} />
              </Table.Td>
              <Table.Td onClick={(e) => e.stopPropagation()}>
                <RowActions
                  editable={editable}
                  onOpen={() => onOpen(record)}
                  onDelete={() => onDelete(record)}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <div ref={ref} />
      {hasNextPage && (
        <Center py="sm">
          {isFetchingNextPage ? (
            <Loader size="sm" />
          ) : (
            <Button variant="subtle" onClick={() => void fetchNextPage()}>
              Load more records
            </Button>
          )}
        </Center>
      )}
      {!hasNextPage && rows.length > PAGE && (
        <Text size="xs" c="dimmed" ta="center">
          All {rows.length} records shown.
        </Text>
      )}
    </>
  );
}

function RowActions({
  editable,
  onOpen,
  onDelete,
}: {
  editable: boolean;
  onOpen: () => void;
  onDelete: () => void;
}) {
  if (!editable) {
    return (
      <Tooltip label="View (read-only)">
        <ActionIcon variant="subtle" color="gray" aria-label="View record" onClick={onOpen}>
          <IconEye size={16} />
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label="Edit">
        <ActionIcon variant="subtle" aria-label="Edit record" onClick={onOpen}>
          <IconPencil size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Delete">
        <ActionIcon variant="subtle" color="red" aria-label="Delete record" onClick={onDelete}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
