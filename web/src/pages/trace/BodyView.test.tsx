import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { BodyView } from "./BodyView";

function show(value: unknown, markdown = false) {
  return render(
    <MantineProvider>
      <BodyView title="Output" value={value} markdown={markdown} />
    </MantineProvider>,
  );
}

describe("BodyView", () => {
  it("shows chat messages with their roles and tool calls as cards", () => {
    show([
      { role: "user", content: "Where is my order?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "lookup_order", arguments: '{"id": 42}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: '{"status": "shipped"}' },
    ]);
    expect(screen.getAllByTestId("message").map((m) => m.dataset.role)).toEqual(["user", "assistant", "tool"]);
    const card = screen.getByTestId("tool-call-card");
    expect(within(card).getByText("lookup_order")).toBeTruthy();
    expect(within(screen.getByTestId("tool-result-card")).getByText(/shipped/)).toBeTruthy();
  });

  it("renders markdown for assistant text", () => {
    show("# Answer\n\n- **one**", true);
    expect(screen.getByRole("heading", { name: "Answer" })).toBeTruthy();
    expect(screen.getByText("one").tagName).toBe("STRONG");
  });

  it("says when nothing was recorded", () => {
    show(null);
    expect(screen.getByText("none recorded")).toBeTruthy();
  });
});
