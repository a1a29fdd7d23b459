import { Badge, Button, Group, Text } from "@mantine/core";
import { useState } from "react";

import { ChangePasswordModal } from "./ChangePasswordModal";
import { useMe, useSignOut } from "./useAuth";

/** The signed-in user in the header, with "Change password" and "Sign out" (nothing in local
 * mode, where there is no one to sign out). */
export function UserMenu() {
  const me = useMe();
  const signOut = useSignOut();
  const [changing, setChanging] = useState(false);
  if (!me.auth || (!me.user && !me.key)) return null;
  const who = me.user ? me.user.name || me.user.email : `key ${me.key}`;
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" data-testid="signed-in-user" title={me.user?.email}>
        {who}
      </Text>
      {me.user?.is_admin && (
        <Badge size="xs" variant="light">
          instance admin
        </Badge>
      )}
      {me.user?.has_password !== false && me.user && (
        <Button size="xs" variant="subtle" color="gray" onClick={() => setChanging(true)}>
          Change password
        </Button>
      )}
      {me.user && (
        <Button size="xs" variant="default" loading={signOut.isPending} onClick={() => signOut.mutate()}>
          Sign out
        </Button>
      )}
      <ChangePasswordModal opened={changing} onClose={() => setChanging(false)} />
    </Group>
  );
}
