import { Box, Text } from "@mantine/core";
import { useMemo } from "react";

import { templateParts } from "./templateParts";

/** A message template with its `{{variables}}` highlighted and section tags shown apart. */
export function TemplateText({ template }: { template: string }) {
  const parts = useMemo(() => templateParts(template), [template]);
  if (!template) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        empty
      </Text>
    );
  }
  return (
    <Box fz="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", lineHeight: 1.55 }}>
      {parts.map((part, i) => {
        if (part.kind === "text") return <span key={i}>{part.text}</span>;
        if (part.kind === "variable") {
          return (
            <Box
              key={i}
              component="mark"
              data-testid="template-variable"
              title={`Variable ${part.name}`}
              bg="yellow.1"
              c="yellow.9"
              px={3}
              style={{ borderRadius: 4, fontFamily: "var(--mantine-font-family-monospace)", fontSize: "0.92em" }}
            >
              {part.text}
            </Box>
          );
        }
        return (
          <Box
            key={i}
            component="span"
            c={part.kind === "comment" ? "dimmed" : "indigo.7"}
            title={part.kind === "comment" ? "A comment, left out of the message" : "Optional block"}
            style={{ fontFamily: "var(--mantine-font-family-monospace)", fontSize: "0.92em" }}
          >
            {part.text}
          </Box>
        );
      })}
    </Box>
  );
}
