import { Title } from "@mantine/core";

export function TracePage() {
  return <Title order={2}>Trace</Title>;
}
