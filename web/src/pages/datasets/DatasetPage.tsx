import { Title } from "@mantine/core";

export function DatasetPage() {
  return <Title order={2}>Dataset</Title>;
}
