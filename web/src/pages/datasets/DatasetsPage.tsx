import { Title } from "@mantine/core";

export function DatasetsPage() {
  return <Title order={2}>Datasets</Title>;
}
