import { Title } from "@mantine/core";

export function MonitoringPage() {
  return <Title order={2}>Monitoring</Title>;
}
