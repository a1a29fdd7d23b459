import { Alert, Code, Text } from "@mantine/core";
import type { ReactNode } from "react";

import { useMe } from "../auth/useAuth";

/** In local mode (authentication off), says what that means here and how to turn it on. */
export function AuthOffNote({ children }: { children?: ReactNode }) {
  const me = useMe();
  if (me.auth) return null;
  return (
    <Alert color="yellow" title="Authentication is off" data-testid="auth-off-note">
      <Text size="sm">
        This server runs in local single-user mode: whoever can reach it may do everything. {children}
      </Text>
      <Text size="sm" mt="xs">
        To turn it on, create the first admin with{" "}
        <Code>assay users create you@example.com --admin --password-stdin</Code>, then restart{" "}
        <Code>assay serve</Code> with <Code>ASSAY_AUTH=true</Code> (or <Code>auth = true</Code> in
        assay.toml); see docs/configuration.md.
      </Text>
    </Alert>
  );
}
