import { Button, Group, Kbd, NumberInput, Slider, Stack, Text, Textarea, Tooltip } from "@mantine/core";

import type { Answer } from "./reviewForm";
import type { ScoreConfig } from "./reviewTypes";

interface Props {
  config: ScoreConfig;
  answer: Answer | undefined;
  onAnswer: (answer: Answer | undefined) => void;
  /** Highlighted as the question number keys answer now. */
  active: boolean;
}

/** One question of the review: its name, its description for reviewers, and its control. */
export function ScoreControl({ config, answer, onAnswer, active }: Props) {
  return (
    <Stack
      gap={6}
      data-config={config.name}
      role="group"
      aria-label={config.name}
      p="xs"
      style={{
        borderRadius: "var(--mantine-radius-md)",
        borderLeft: `3px solid var(--mantine-color-${active ? "indigo-5" : "gray-2"})`,
      }}
    >
      <Stack gap={0}>
        <Text fw={700}>{config.name}</Text>
        {config.description && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
            {config.description}
          </Text>
        )}
      </Stack>
      <Control config={config} answer={answer} onAnswer={onAnswer} />
    </Stack>
  );
}

function Control({ config, answer, onAnswer }: Omit<Props, "active">) {
  switch (config.kind) {
    case "categorical":
      return (
        <Choices
          config={config}
          options={(config.categories ?? []).map((c) => ({ key: c.label, label: c.label, answer: c.label, hint: c.description }))}
          answer={answer}
          onAnswer={onAnswer}
        />
      );
    case "boolean":
      return (
        <Choices
          config={config}
          options={[
            { key: "yes", label: "Yes", answer: true, hint: null },
            { key: "no", label: "No", answer: false, hint: null },
          ]}
          answer={answer}
          onAnswer={onAnswer}
        />
      );
    case "numeric":
      return <NumberControl config={config} answer={answer} onAnswer={onAnswer} />;
    case "text":
      return (
        <Textarea
          aria-label={`${config.name} (text)`}
          value={typeof answer === "string" ? answer : ""}
          onChange={(e) => onAnswer(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={8}
        />
      );
  }
}

interface Option {
  key: string;
  label: string;
  answer: Answer;
  hint?: string | null;
}

function Choices({
  config,
  options,
  answer,
  onAnswer,
}: {
  config: ScoreConfig;
  options: Option[];
  answer: Answer | undefined;
  onAnswer: (answer: Answer | undefined) => void;
}) {
  return (
    <Stack gap={4}>
      <Group gap={6} role="radiogroup" aria-label={`${config.name} answers`}>
        {options.map((o, i) => {
          const selected = answer === o.answer;
          const button = (
            <Button
              key={o.key}
              role="radio"
              aria-checked={selected}
              variant={selected ? "filled" : "default"}
              size="sm"
              leftSection={<Kbd size="xs">{i + 1}</Kbd>}
              onClick={() => onAnswer(selected ? undefined : o.answer)}
            >
              {o.label}
            </Button>
          );
          return o.hint ? (
            <Tooltip key={o.key} label={o.hint} multiline maw={320} openDelay={300}>
              {button}
            </Tooltip>
          ) : (
            button
          );
        })}
      </Group>
      {options.map((o) =>
        o.hint && answer === o.answer ? (
          <Text key={o.key} size="xs" c="dimmed">
            {o.label}: {o.hint}
          </Text>
        ) : null,
      )}
    </Stack>
  );
}

function NumberControl({ config, answer, onAnswer }: Omit<Props, "active">) {
  const min = config.min ?? 0;
  const max = config.max ?? 1;
  const step = config.step ?? (max - min) / 100;
  const value = typeof answer === "number" ? answer : undefined;
  return (
    <Group gap="md" align="center" wrap="nowrap">
      <Slider
        aria-label={`${config.name} slider`}
        min={min}
        max={max}
        step={step}
        value={value ?? min}
        onChange={(v) => onAnswer(v)}
        style={{ flex: 1 }}
        color={value === undefined ? "gray" : "indigo"}
        marks={[
          { value: min, label: String(min) },
          { value: max, label: String(max) },
        ]}
        mb="md"
      />
      <NumberInput
        aria-label={config.name}
        min={min}
        max={max}
        step={step}
        value={value ?? ""}
        placeholder="—"
        onChange={(v) => onAnswer(typeof v === "number" ? v : v === "" ? undefined : Number(v))}
        w={100}
      />
    </Group>
  );
}
