import { Code, Stack, Text } from "@mantine/core";

/** The three ways records get into a dataset: code, a file, or a span of a trace. */
export function HowToAddRecords({ project, dataset }: { project: string; dataset?: string }) {
  const name = dataset ?? "golden";
  const origin = window.location.origin;
  const push = `assay datasets push ${name} records.jsonl --project ${project} --api-url ${origin}`;
  const code = [
    "import assay",
    `ds = assay.dataset("${project}", "${name}", api_url="${origin}")`,
    'ds.insert(input="Where is my order?", expected="It ships tomorrow.")',
  ].join("\n");
  return (
    <Stack gap="sm" maw={680} w="100%">
      <div>
        <Text size="sm" fw={600}>
          From code
        </Text>
        <Code block>{code}</Code>
      </div>
      <div>
        <Text size="sm" fw={600}>
          From a file
        </Text>
        <Text size="sm" c="dimmed">
          One record per line (.jsonl) or per row (.csv) with input, expected and metadata:
        </Text>
        <Code block>{push}</Code>
      </div>
      <div>
        <Text size="sm" fw={600}>
          From production
        </Text>
        <Text size="sm" c="dimmed">
          Open a trace, pick a span and press “Add to dataset”: the record keeps a link to the
          span it came from.
        </Text>
      </div>
    </Stack>
  );
}
