import { Affix, Anchor, Button, Menu, Notification, Text } from "@mantine/core";
import { IconListCheck } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { useCan } from "../auth/useAuth";
import { reviewApi, reviewKeys } from "./reviewApi";

interface Props {
  project: string;
  traceId: string;
  /** A span of the trace; null puts the whole trace in the queue. */
  spanId?: string | null;
}

/** Put this trace (or span) in a review queue, picked from a menu; a trace is never queued twice.
 * Only for engineers and up (adding queue items is theirs). */
export function AddToQueueButton(props: Props) {
  const canWrite = useCan(props.project, "engineer");
  return canWrite ? <AddToQueueMenu {...props} /> : null;
}

function AddToQueueMenu({ project, traceId, spanId = null }: Props) {
  const client = useQueryClient();
  const queues = useQuery({ queryKey: reviewKeys.queues(project), queryFn: () => reviewApi.listQueues(project) });
  const add = useMutation({
    mutationFn: async (queue: string) => {
      const result = await reviewApi.addItems(project, queue, { items: [{ trace_id: traceId, span_id: spanId }], target: "trace" });
      return { queue, ...result };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: reviewKeys.queues(project) }),
  });
  const open = (queues.data ?? []).filter((q) => !q.archived);
  const base = `/projects/${encodeURIComponent(project)}/queues`;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconListCheck size={14} />}
            loading={add.isPending}
            style={{ flex: "none" }}
          >
            {spanId ? "Add span to queue" : "Add trace to queue"}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Review queues</Menu.Label>
          {queues.isPending && <Menu.Item disabled>Loading…</Menu.Item>}
          {queues.isError && <Menu.Item disabled>Could not load the queues: {queues.error.message}</Menu.Item>}
          {open.map((q) => (
            <Menu.Item key={q.id} onClick={() => add.mutate(q.name)}>
              {q.name}
            </Menu.Item>
          ))}
          {queues.isSuccess && open.length === 0 && <Menu.Item disabled>No queues yet</Menu.Item>}
          <Menu.Divider />
          <Menu.Item component={Link} to={base}>
            Manage queues…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {(add.isSuccess || add.isError) && (
        <Affix position={{ bottom: 20, right: 20 }}>
          <Notification
            color={add.isError ? "red" : "teal"}
            title={add.isError ? "Could not add to the queue" : "Review queue"}
            onClose={() => add.reset()}
            role="status"
            w={360}
            withBorder
          >
            {add.isError ? (
              add.error.message
            ) : add.data ? (
              <Text size="sm">
                {add.data.added > 0 ? "Added to " : "Already in "}
                <Anchor component={Link} to={`${base}/${encodeURIComponent(add.data.queue)}`} fw={600}>
                  {add.data.queue}
                </Anchor>
                .
              </Text>
            ) : null}
          </Notification>
        </Affix>
      )}
    </>
  );
}
