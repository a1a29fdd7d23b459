import { Button, Stack } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";

import { ApiError, onUnauthorized, setCsrfToken } from "../../api/client";
import { ErrorState, Loading } from "../../components/States";
import { authApi, authKeys, type Me } from "./authApi";
import { needsSignIn } from "./roles";
import { SignInPage } from "./SignInPage";
import { AuthContext } from "./useAuth";

async function fetchMe(): Promise<Me> {
  const me = await authApi.me();
  setCsrfToken(me.csrf_token);
  return me;
}

/** Asks who the caller is, then shows the app to them, or the sign-in page when they must
 * sign in first (authentication on and no session, or a call answered 401). */
export function AuthGate({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const me = useQuery({ queryKey: authKeys.me, queryFn: fetchMe, staleTime: Infinity });
  useEffect(
    () => onUnauthorized(() => void client.invalidateQueries({ queryKey: authKeys.me })),
    [client],
  );
  if (me.isPending) return <Loading what="assay" />;
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <SignInPage oidc={false} />;
    }
    return (
      <Stack p="xl" maw={640}>
        <ErrorState error={me.error} what="who you are" />
        <Button variant="default" w="fit-content" onClick={() => void me.refetch()}>
          Try again
        </Button>
      </Stack>
    );
  }
  if (needsSignIn(me.data)) return <SignInPage oidc={me.data.oidc ?? false} />;
  return <AuthContext.Provider value={me.data}>{children}</AuthContext.Provider>;
}
