/** Who is signed in, for every page: the `GET /api/v1/auth/me` answer and what follows from it. */
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useContext } from "react";

import { setCsrfToken } from "../../api/client";
import { authApi, authKeys, type Me, type Role } from "./authApi";
import { allows, LOCAL_ME, roleIn } from "./roles";

/** The caller, provided by `AuthGate` (local mode outside it, e.g. in component tests). */
export const AuthContext = createContext<Me>(LOCAL_ME);

/** The caller: whether authentication is on, who they are, and their role in each project. */
export function useMe(): Me {
  return useContext(AuthContext);
}

/** The caller's role in `project` (admin in local mode; null without a membership). */
export function useRole(project: string | undefined): Role | null {
  return roleIn(useMe(), project);
}

/** Whether the caller may do what `need` may in `project`; the server enforces it anyway. */
export function useCan(project: string | undefined, need: Role): boolean {
  return allows(useRole(project), need);
}

/** Make `me` the caller: remember its CSRF token and drop everything read as someone else. */
export function acceptMe(client: QueryClient, me: Me): void {
  setCsrfToken(me.csrf_token);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.me[0] });
  client.setQueryData(authKeys.me, me);
}

/** Sign out: the server ends the session, the page forgets what it read and asks to sign in. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => authApi.logout(),
    onSettled: () => {
      const me = client.getQueryData<Me>(authKeys.me);
      acceptMe(client, { auth: true, projects: {}, oidc: me?.oidc ?? false });
      void client.invalidateQueries({ queryKey: authKeys.me });
    },
  });
}
