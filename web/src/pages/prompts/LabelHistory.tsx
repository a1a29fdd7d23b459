import { Alert, Badge, Button, Stack, Table, Text } from "@mantine/core";
import { IconArrowBackUp } from "@tabler/icons-react";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo, formatTime } from "../../format";
import { LabelBadge } from "./LabelBadges";
import { moveReason, moveText, undoneMoveIds } from "./promptText";
import { useLabelMoves, type LabelMove } from "./promptsApi";
import { useUndoMove } from "./usePromptMutations";

/** Every label move, newest first: who, when, which label, from → to, why; "Undo" on each. */
export function LabelHistory({ project, prompt, canMove }: { project: string; prompt: string; canMove: boolean }) {
  const moves = useLabelMoves(project, prompt, true);
  const undo = useUndoMove(project, prompt);
  if (moves.isPending) return <Loading what="the label history" />;
  if (moves.isError) return <ErrorState error={moves.error} what="the label history" />;
  if (moves.data.length === 0) {
    return (
      <EmptyState title="No label moves yet">
        <Text c="dimmed" size="sm">
          Moving a label (say, production) to a version is recorded here, with who did it and why.
        </Text>
      </EmptyState>
    );
  }
  const undone = undoneMoveIds(moves.data);
  return (
    <Stack gap="xs">
      {undo.isError && (
        <Alert color="red" title="Could not undo the move" role="alert" withCloseButton onClose={() => undo.reset()}>
          {undo.error.message}
        </Alert>
      )}
      <Table withTableBorder verticalSpacing="xs" aria-label="Label history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Move</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {moves.data.map((m) => (
            <MoveRow
              key={m.id}
              move={m}
              reason={moveReason(m, moves.data)}
              undone={undone.has(m.id)}
              canUndo={canMove}
              busy={undo.isPending && undo.variables === m.id}
              onUndo={() => undo.mutate(m.id)}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

interface RowProps {
  move: LabelMove;
  reason: string;
  undone: boolean;
  canUndo: boolean;
  busy: boolean;
  onUndo: () => void;
}

function MoveRow({ move: m, reason, undone, canUndo, busy, onUndo }: RowProps) {
  return (
    <Table.Tr data-testid="label-move-row" data-label={m.label}>
      <Table.Td>
        <Text size="sm" title={formatTime(m.at)} style={{ whiteSpace: "nowrap" }}>
          {formatAgo(m.at)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{m.actor ?? "unknown"}</Text>
      </Table.Td>
      <Table.Td>
        <LabelBadge label={m.label} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600} style={{ whiteSpace: "nowrap" }}>
          {moveText(m)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={reason ? undefined : "dimmed"} style={{ whiteSpace: "pre-wrap" }}>
          {reason || "—"}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        {undone ? (
          <Badge variant="light" color="gray" tt="none">
            undone
          </Badge>
        ) : (
          canUndo && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconArrowBackUp size={14} />}
              loading={busy}
              onClick={onUndo}
              aria-label={`Undo ${m.label} ${moveText(m)}`}
            >
              Undo
            </Button>
          )
        )}
      </Table.Td>
    </Table.Tr>
  );
}
