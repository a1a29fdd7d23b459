import { Alert, Button, Group, Kbd, Spoiler, Stack, Table, Text, Textarea } from "@mantine/core";
import { IconArrowLeft, IconArrowRight, IconCheck, IconDatabasePlus } from "@tabler/icons-react";
import type { Ref } from "react";

import { Markdown } from "../trace/Bits";
import { firstUnanswered, setAnswer, type ReviewForm } from "./reviewForm";
import { SHORTCUTS } from "./reviewKeys";
import type { ScoreConfig } from "./reviewTypes";
import { ScoreControl } from "./ScoreControls";

interface Props {
  instructions: string | null | undefined;
  configs: ScoreConfig[];
  form: ReviewForm;
  onChange: (form: ReviewForm) => void;
  problem: string | null;
  commentRef: Ref<HTMLTextAreaElement>;
  canGoBack: boolean;
  /** Shown again after going back: submitting replaces the earlier review. */
  revisiting: boolean;
  onSubmit: () => void;
  onSkip: () => void;
  onBack: () => void;
  onDataset: () => void;
}

/** The reviewer's side: instructions, a control per score config, the reason, a correction. */
export function ReviewPanel({ commentRef, ...p }: Props) {
  const active = firstUnanswered(p.configs, p.form)?.name;
  return (
    <Stack gap="sm" data-testid="review-panel">
      {p.instructions && (
        <Stack gap={2} aria-label="Instructions" role="region">
          <Text size="xs" fw={700} tt="uppercase" c="dimmed">
            Instructions
          </Text>
          <Spoiler maxHeight={110} showLabel="Show all" hideLabel="Show less" transitionDuration={0}>
            <Markdown text={p.instructions} />
          </Spoiler>
        </Stack>
      )}
      {p.configs.map((c) => (
        <ScoreControl
          key={c.name}
          config={c}
          answer={p.form.answers[c.name]}
          onAnswer={(a) => p.onChange(setAnswer(p.form, c.name, a))}
          active={c.name === active}
        />
      ))}
      <Textarea
        ref={commentRef}
        label="Why? (comment)"
        description="The reason for your scores; it is stored with them."
        value={p.form.comment}
        onChange={(e) => p.onChange({ ...p.form, comment: e.currentTarget.value })}
        autosize
        minRows={2}
        maxRows={6}
      />
      <Textarea
        label="Corrected output (optional)"
        description="What it should have said. Can become the expected answer in a dataset."
        value={p.form.corrected}
        onChange={(e) => p.onChange({ ...p.form, corrected: e.currentTarget.value })}
        autosize
        minRows={2}
        maxRows={10}
      />
      {p.problem && (
        <Alert color="orange" role="alert" p="xs">
          {p.problem}
        </Alert>
      )}
      <Group gap="xs">
        <Button leftSection={<IconCheck size={16} />} onClick={p.onSubmit}>
          {p.revisiting ? "Save again" : "Submit"} <Kbd ml={6} size="xs">Enter</Kbd>
        </Button>
        <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={p.onBack} disabled={!p.canGoBack}>
          Back
        </Button>
        <Button variant="default" rightSection={<IconArrowRight size={16} />} onClick={p.onSkip}>
          {p.revisiting ? "Forward" : "Skip"}
        </Button>
        <Button variant="subtle" leftSection={<IconDatabasePlus size={16} />} onClick={p.onDataset}>
          Add to dataset
        </Button>
      </Group>
      <Shortcuts />
    </Stack>
  );
}

function Shortcuts() {
  return (
    <Stack gap={2} aria-label="Keyboard shortcuts" role="region">
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        Keyboard
      </Text>
      <Table fz="xs" verticalSpacing={2} withRowBorders={false}>
        <Table.Tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <Table.Tr key={keys}>
              <Table.Td w={110}>
                <Kbd size="xs">{keys}</Kbd>
              </Table.Td>
              <Table.Td c="dimmed">{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
