import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";

import type { Me } from "../auth/authApi";
import { LOCAL_ME } from "../auth/roles";
import { AuthContext } from "../auth/useAuth";
import { UserMenu } from "../auth/UserMenu";
import { AuthOffNote } from "./AuthOffNote";
import { NewKeySecret } from "./NewKeySecret";

const signedIn: Me = {
  auth: true,
  user: {
    id: "u1",
    email: "ada@example.com",
    is_admin: true,
    disabled: false,
    has_password: true,
    oidc: false,
    created_at: "2026-01-01T00:00:00Z",
  },
  csrf_token: "t",
  projects: {},
  oidc: false,
};

afterEach(cleanup);

function show(me: Me, node: ReactNode) {
  return render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <AuthContext.Provider value={me}>{node}</AuthContext.Provider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe("auth bits", () => {
  it("says authentication is off, and how to turn it on, only in local mode", () => {
    show(LOCAL_ME, <AuthOffNote />);
    expect(screen.getByText("Authentication is off")).toBeTruthy();
    expect(screen.getByText("ASSAY_AUTH=true")).toBeTruthy();
  });

  it("says nothing about it with authentication on", () => {
    show(signedIn, <AuthOffNote />);
    expect(screen.queryByTestId("auth-off-note")).toBeNull();
  });

  it("shows the signed-in user and Sign out", () => {
    show(signedIn, <UserMenu />);
    expect(screen.getByTestId("signed-in-user").textContent).toBe("ada@example.com");
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
    expect(screen.getByText("instance admin")).toBeTruthy();
  });

  it("has no sign-out in local mode", () => {
    show(LOCAL_ME, <UserMenu />);
    expect(screen.queryByRole("button", { name: "Sign out" })).toBeNull();
  });

  it("shows a new key's secret once, with a copy button and a warning", () => {
    const created = {
      id: "k1",
      name: "ci",
      role: "engineer" as const,
      prefix: "assay_ab",
      created_at: "2026-01-01T00:00:00Z",
      secret: "assay_abcdefghijklmnopqrstuvwxyz012345",
    };
    show(signedIn, <NewKeySecret created={created} onDone={() => {}} />);
    expect(screen.getByTestId("api-key-secret").textContent).toBe(created.secret);
    expect(screen.getByRole("button", { name: "Copy" })).toBeTruthy();
    expect(screen.getByText(/you will not see it again/)).toBeTruthy();
  });
});
