/** What the signed-in caller may do where: roles in order, and the caller's role in a project. */
import type { Me, Role } from "./authApi";

/** Roles from least to most allowed; each may do all the ones before it may. */
export const ROLES: readonly Role[] = ["viewer", "annotator", "engineer", "admin"];

/** What each role adds, in a sentence, for the pickers. */
export const ROLE_HELP: Record<Role, string> = {
  viewer: "reads everything in the project",
  annotator: "reads, reviews, scores and adds records to datasets",
  engineer: "everything but members, API keys and settings",
  admin: "everything, members, API keys and settings included",
};

/** Local mode: authentication off, one local user who may do everything. */
export const LOCAL_ME: Me = { auth: false, projects: {}, oidc: false };

/** The caller's role in `project`: admin in local mode and for instance admins, else the
 * role of their membership (or of their key), null when they have none there. */
export function roleIn(me: Me, project: string | undefined): Role | null {
  if (!me.auth || me.user?.is_admin) return "admin";
  if (!project) return null;
  return me.projects?.[project] ?? null;
}

/** Whether `role` may do what `need` may (viewer < annotator < engineer < admin). */
export function allows(role: Role | null, need: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(need);
}

/** Whether the caller manages users and creates projects (everyone in local mode). */
export function isInstanceAdmin(me: Me): boolean {
  return !me.auth || Boolean(me.user?.is_admin);
}

/** Whether the caller must sign in before seeing anything. */
export function needsSignIn(me: Me): boolean {
  return me.auth && !me.user && !me.key;
}
