import { Alert, Button, Code, Collapse, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useState } from "react";

import type { Schemas } from "../../api/client";

/** The exception a span recorded: type and message, the traceback one click away. */
export function ErrorBlock({ error }: { error: Schemas["ErrorInfo"] }) {
  const [open, setOpen] = useState(false);
  const lines = error.traceback ? error.traceback.trimEnd().split("\n").length : 0;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={error.type || "Error"}
      data-testid="span-error"
    >
      <Stack gap={6}>
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {error.message || "(no message)"}
        </Text>
        {error.traceback && (
          <>
            <Button
              variant="subtle"
              color="red"
              size="compact-xs"
              w="fit-content"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
            >
              {open ? "Hide traceback" : `Show traceback (${lines} lines)`}
            </Button>
            <Collapse expanded={open} transitionDuration={0}>
              <Code block fz="xs" data-testid="traceback" style={{ maxHeight: 420, overflow: "auto" }}>
                {error.traceback}
              </Code>
            </Collapse>
          </>
        )}
      </Stack>
    </Alert>
  );
}
