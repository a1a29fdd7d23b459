import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useParams } from "react-router-dom";

import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatAgo } from "../../format";
import { authApi, authKeys, type Member, type Role } from "../auth/authApi";
import { useCan } from "../auth/useAuth";
import { AuthOffNote } from "./AuthOffNote";
import { RoleSelect } from "./RoleSelect";

/** Who may do what in the project: add a user by email with a role, change it, remove it. */
export function MembersPage() {
  const { project = "" } = useParams();
  const canManage = useCan(project, "admin");
  const members = useQuery({
    queryKey: authKeys.members(project),
    queryFn: () => authApi.listMembers(project),
  });
  return (
    <Stack>
      <Stack gap={0}>
        <Title order={2}>Members</Title>
        <Text c="dimmed" size="sm">
          People with a role in {project}: viewers read, annotators also review and add records to
          datasets, engineers change everything but members, keys and settings, admins do it all.
        </Text>
      </Stack>
      <AuthOffNote>Roles given here take effect once authentication is on.</AuthOffNote>
      {canManage && <AddMemberForm project={project} />}
      {members.isPending && <Loading what="the members" />}
      {members.isError && <ErrorState error={members.error} what="the members" />}
      {members.isSuccess && members.data.length === 0 && (
        <EmptyState title="No members yet">
          <Text c="dimmed" size="sm">
            Instance admins see every project; add people by the email of their assay account.
          </Text>
        </EmptyState>
      )}
      {members.isSuccess && members.data.length > 0 && (
        <MemberTable project={project} members={members.data} canManage={canManage} />
      )}
    </Stack>
  );
}

function AddMemberForm({ project }: { project: string }) {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const add = useMutation({
    mutationFn: () => authApi.addMember(project, email.trim(), role),
    onSuccess: () => {
      setEmail("");
      void client.invalidateQueries({ queryKey: authKeys.members(project) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label="Email"
            placeholder="someone@example.com"
            required
            w={300}
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <RoleSelect label="Role" value={role} onChange={setRole} />
          <Button type="submit" loading={add.isPending} mb={22}>
            Add member
          </Button>
        </Group>
        {add.isError && (
          <Alert color="red" role="alert" title="Could not add the member">
            {add.error.message}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function MemberTable({ project, members, canManage }: { project: string; members: Member[]; canManage: boolean }) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: authKeys.members(project) });
  const update = useMutation({
    mutationFn: (m: { userId: string; role: Role }) => authApi.updateMember(project, m.userId, m.role),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => authApi.removeMember(project, userId),
    onSuccess: refresh,
  });
  const failed = update.error ?? remove.error;
  return (
    <Stack gap="xs">
      {failed && (
        <Alert color="red" role="alert" title="Could not change the member">
          {failed.message}
        </Alert>
      )}
      <Table withTableBorder highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Since</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((m) => (
            <Table.Tr key={m.user_id} data-testid="member-row">
              <Table.Td>{m.email}</Table.Td>
              <Table.Td>{m.name || "—"}</Table.Td>
              <Table.Td>
                {canManage ? (
                  <RoleSelect
                    ariaLabel={`Role of ${m.email}`}
                    value={m.role}
                    onChange={(role) => update.mutate({ userId: m.user_id, role })}
                  />
                ) : (
                  m.role
                )}
              </Table.Td>
              <Table.Td>{formatAgo(m.created_at)}</Table.Td>
              <Table.Td ta="right">
                {canManage && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${m.email}`}
                    loading={remove.isPending && remove.variables === m.user_id}
                    onClick={() => remove.mutate(m.user_id)}
                  >
                    Remove
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
