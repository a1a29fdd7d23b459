import { Alert, Button, Center, Divider, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useLocation } from "react-router-dom";

import { authApi } from "./authApi";
import { signInProblem, ssoHref } from "./signIn";
import { acceptMe } from "./useAuth";

/** Email and password (and SSO when the server has OpenID Connect set up). Shown in place of
 * the page that was asked for, so signing in lands right back on it. */
export function SignInPage({ oidc }: { oidc: boolean }) {
  const client = useQueryClient();
  const { pathname, search } = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => authApi.login(email.trim(), password),
    onSuccess: (me) => acceptMe(client, me),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  const problem = login.isError ? signInProblem(login.error) : null;
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={400} component="form" onSubmit={submit}>
        <Stack>
          <Stack gap={2}>
            <Text fw={700} size="lg" c="indigo.8">
              assay
            </Text>
            <Title order={2}>Sign in</Title>
          </Stack>
          {problem && (
            <Alert color="red" title={problem.title} role="alert">
              {problem.message}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending}>
            Sign in
          </Button>
          {oidc && (
            <>
              <Divider label="or" labelPosition="center" />
              <Button component="a" href={ssoHref(pathname + search)} variant="default">
                Sign in with SSO
              </Button>
            </>
          )}
          <Text size="xs" c="dimmed">
            No account yet? Ask an admin of this assay server to create one.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
