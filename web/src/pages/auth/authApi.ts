/**
 * Calls of the users, roles, keys, audit and settings API, and their query keys. Errors are
 * `ApiError`s with the server's message; the session cookie and CSRF token go with every call.
 */
import { api, unwrap, type Schemas } from "../../api/client";

export type Me = Schemas["Me"];
export type User = Schemas["User"];
export type UserIn = Schemas["UserIn"];
export type UserPatch = Schemas["UserPatch"];
export type Member = Schemas["Member"];
export type ApiKey = Schemas["ApiKey"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type AuditEvent = Schemas["AuditEvent"];
export type AuditPage = Schemas["AuditPage"];
export type ProjectSettings = Schemas["ProjectSettings"];
export type Role = Member["role"];

const P = "/api/v1/projects/{project}";

export const authKeys = {
  me: ["me"] as const,
  users: ["users"] as const,
  members: (project: string) => ["members", project] as const,
  keys: (project: string) => ["api-keys", project] as const,
  audit: (project: string | null) => ["audit", project ?? ""] as const,
  settings: (project: string) => ["project-settings", project] as const,
};

export const authApi = {
  me: () => unwrap(api.GET("/api/v1/auth/me")),
  login: (email: string, password: string) =>
    unwrap(api.POST("/api/v1/auth/login", { body: { email, password } })),
  logout: () => unwrap(api.POST("/api/v1/auth/logout")),
  changePassword: (currentPassword: string, newPassword: string) =>
    unwrap(
      api.POST("/api/v1/auth/password", {
        body: { current_password: currentPassword, new_password: newPassword },
      }),
    ),

  listUsers: () => unwrap(api.GET("/api/v1/users")),
  createUser: (body: UserIn) => unwrap(api.POST("/api/v1/users", { body })),
  updateUser: (userId: string, body: UserPatch) =>
    unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: userId } }, body })),

  listMembers: (project: string) =>
    unwrap(api.GET(`${P}/members`, { params: { path: { project } } })),
  addMember: (project: string, email: string, role: Role) =>
    unwrap(api.POST(`${P}/members`, { params: { path: { project } }, body: { email, role } })),
  updateMember: (project: string, userId: string, role: Role) =>
    unwrap(
      api.PATCH(`${P}/members/{user_id}`, {
        params: { path: { project, user_id: userId } },
        body: { role },
      }),
    ),
  removeMember: (project: string, userId: string) =>
    unwrap(
      api.DELETE(`${P}/members/{user_id}`, { params: { path: { project, user_id: userId } } }),
    ),

  listKeys: (project: string) =>
    unwrap(api.GET(`${P}/api-keys`, { params: { path: { project } } })),
  createKey: (project: string, name: string, role: Role) =>
    unwrap(api.POST(`${P}/api-keys`, { params: { path: { project } }, body: { name, role } })),
  revokeKey: (project: string, keyId: string) =>
    unwrap(
      api.DELETE(`${P}/api-keys/{key_id}`, { params: { path: { project, key_id: keyId } } }),
    ),

  /** A page of the audit log: of one project, or of the whole instance when `project` is null. */
  audit: (project: string | null, cursor?: string | null): Promise<AuditPage> => {
    const query = { limit: 50, ...(cursor ? { cursor } : {}) };
    if (project === null) return unwrap(api.GET("/api/v1/audit", { params: { query } }));
    return unwrap(api.GET(`${P}/audit`, { params: { path: { project }, query } }));
  },

  getSettings: (project: string) =>
    unwrap(api.GET(`${P}/settings`, { params: { path: { project } } })),
  updateSettings: (project: string, body: ProjectSettings) =>
    unwrap(api.PATCH(`${P}/settings`, { params: { path: { project } }, body })),

  createProject: (name: string) => unwrap(api.POST("/api/v1/projects", { body: { name } })),
};
