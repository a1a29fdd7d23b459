import { Title } from "@mantine/core";

export function ComparePage() {
  return <Title order={2}>Compare experiments</Title>;
}
