import { Title } from "@mantine/core";

export function TracesPage() {
  return <Title order={2}>Traces</Title>;
}
