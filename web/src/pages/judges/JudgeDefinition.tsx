import { Badge, Code, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";

import type { Schemas } from "../../api/client";
import { formatTime } from "../../format";
import { promptParts } from "./promptParts";

type Judge = Schemas["Judge"];

/** What the judge asks and how it answers: the prompt, the choices with their values, the model. */
export function JudgeDefinition({ judge, versions }: { judge: Judge; versions: Schemas["JudgeVersion"][] }) {
  const params = Object.entries(judge.params ?? {});
  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
      <Paper withBorder p="md" style={{ gridColumn: "span 2" }}>
        <Stack gap="xs">
          <Title order={5}>Prompt (version {judge.version})</Title>
          <Text size="xs" c="dimmed">
            Highlighted words are filled in from each trace before the model reads the prompt.
          </Text>
          <Prompt prompt={judge.prompt} />
        </Stack>
      </Paper>
      <Stack gap="md">
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            Choices
          </Title>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Label</Table.Th>
                <Table.Th ta="right">Value</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(judge.choices).map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Td>{label}</Table.Td>
                  <Table.Td ta="right">{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md">
          <Stack gap={6}>
            <Group gap="xs">
              <Text size="sm" c="dimmed" w={110}>
                Model
              </Text>
              <Code>{judge.model}</Code>
            </Group>
            <Group gap="xs">
              <Text size="sm" c="dimmed" w={110}>
                Reasoning
              </Text>
              <Text size="sm">{judge.use_cot ? "writes its reasons before choosing" : "chooses directly"}</Text>
            </Group>
            {params.map(([key, value]) => (
              <Group gap="xs" key={key}>
                <Text size="sm" c="dimmed" w={110}>
                  {key}
                </Text>
                <Code>{JSON.stringify(value)}</Code>
              </Group>
            ))}
            <Group gap="xs">
              <Text size="sm" c="dimmed" w={110}>
                Score name
              </Text>
              <Code>{judge.score_name}</Code>
            </Group>
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            Versions
          </Title>
          <Stack gap={4}>
            {[...versions].reverse().map((v) => (
              <Group key={v.version} gap="xs" justify="space-between">
                <Group gap={6}>
                  <Text size="sm" fw={v.version === judge.version ? 700 : 400}>
                    v{v.version}
                  </Text>
                  {v.version === judge.latest_version && (
                    <Badge size="xs" variant="light">
                      latest
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {formatTime(v.created_at)} · {v.model}
                </Text>
              </Group>
            ))}
          </Stack>
        </Paper>
      </Stack>
    </SimpleGrid>
  );
}

function Prompt({ prompt }: { prompt: string }) {
  return (
    <Text
      component="div"
      size="sm"
      style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", lineHeight: 1.6 }}
      data-testid="judge-prompt"
    >
      {promptParts(prompt).map((part, i) =>
        part.variable ? (
          <Badge key={i} variant="light" color="indigo" tt="none" radius="sm" mx={2}>
            {part.text}
          </Badge>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </Text>
  );
}
