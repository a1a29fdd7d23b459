import { AppShell, Group, NavLink, Select, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, matchPath, useLocation, useNavigate } from "react-router-dom";

import { api, unwrap } from "../api/client";
import type { Role } from "../pages/auth/authApi";
import { allows, isInstanceAdmin, roleIn } from "../pages/auth/roles";
import { useMe } from "../pages/auth/useAuth";
import { UserMenu } from "../pages/auth/UserMenu";

/** The project's sections; `need` is the least role that sees one (viewer when absent). */
const SECTIONS: readonly { path: string; label: string; need?: Role }[] = [
  { path: "traces", label: "Traces" },
  { path: "experiments", label: "Experiments" },
  { path: "datasets", label: "Datasets" },
  { path: "monitoring", label: "Monitoring" },
  { path: "prompts", label: "Prompts" },
  { path: "playground", label: "Playground" },
  { path: "queues", label: "Review queues" },
  { path: "judges", label: "Judges" },
  { path: "online", label: "Online" },
  { path: "jobs", label: "Jobs" },
  { path: "alerts", label: "Alerts" },
  { path: "settings/scores", label: "Score configs" },
  { path: "settings/providers", label: "Model providers" },
  { path: "settings/members", label: "Members", need: "admin" },
  { path: "settings/api-keys", label: "API keys", need: "admin" },
  { path: "settings/audit", label: "Audit log", need: "admin" },
  { path: "settings/project", label: "Settings", need: "admin" },
];

/** The project the URL is about, if any. */
export function useCurrentProject(): string | undefined {
  const { pathname } = useLocation();
  const match = matchPath("/projects/:project/*", pathname);
  return match?.params.project;
}

/** Header with the project picker, a side bar with the project's sections, then the page. */
export function Shell({ children }: { children: ReactNode }) {
  const project = useCurrentProject();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const me = useMe();
  const role = roleIn(me, project);
  const projects = useQuery({
    queryKey: ["projects"],
    queryFn: () => unwrap(api.GET("/api/v1/projects")),
  });
  const names = (projects.data ?? []).map((p) => p.name);
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 190, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Text component={Link} to="/" fw={700} size="lg" c="indigo.8" td="none">
            assay
          </Text>
          <Group gap="md" wrap="nowrap">
            <UserMenu />
            <Select
              aria-label="Project"
              placeholder="Choose a project"
              data={names}
              value={project ?? null}
              onChange={(value) => value && navigate(`/projects/${encodeURIComponent(value)}/traces`)}
              searchable
              w={240}
              size="xs"
            />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavLink component={Link} to="/" label="Projects" active={pathname === "/"} />
        {isInstanceAdmin(me) && (
          <>
            <NavLink component={Link} to="/admin/users" label="Users" active={pathname === "/admin/users"} />
            <NavLink
              component={Link}
              to="/admin/audit"
              label="Instance audit log"
              active={pathname === "/admin/audit"}
            />
          </>
        )}
        {project &&
          SECTIONS.filter((s) => allows(role, s.need ?? "viewer")).map((s) => {
            const to = `/projects/${encodeURIComponent(project)}/${s.path}`;
            return (
              <NavLink
                key={s.path}
                component={Link}
                to={to}
                label={s.label}
                active={pathname.startsWith(to)}
              />
            );
          })}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
