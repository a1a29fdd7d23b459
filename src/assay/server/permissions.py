"""What each operation of the HTTP API needs, by ``operation_id`` (authentication on).

Every route of the app has one entry; a test fails when a route has none, so a new route cannot
be forgotten. :func:`assay.server.auth.authorize` reads this table on every request.

- ``public``: anyone, signed in or not (health, sign-in, who am I, OpenID Connect).
- ``self``: any signed-in user, acting on their own account (sign-out, password change).
- ``read`` / ``review`` / ``write`` / ``admin``: the viewer / annotator / engineer / admin role
  in the project of the path (``{project}``); each role may do what the ones below it may.
- ``instance_admin``: instance admins only (users, creating projects, the instance audit log).

Instance admins pass every check. An API key acts with its own role in its one project.
Operations whose project is in the body (ingest) or that span projects (the project list) are
listed in :data:`PROJECT_IN_BODY`: the check only needs a credential and the route checks the
project itself.
"""

from __future__ import annotations

from typing import Literal

from assay.schema.auth import Role

Permission = Literal["public", "self", "read", "review", "write", "admin", "instance_admin"]

ROLE_NEEDED: dict[Permission, Role] = {
    "read": "viewer",
    "review": "annotator",
    "write": "engineer",
    "admin": "admin",
}
"""The least project role a project-scoped permission needs."""

PROJECT_IN_BODY = frozenset({"ingestSpans", "exportTraces", "listProjects"})
"""Project-scoped operations without ``{project}`` in the path: the route checks the project."""

_READ = (
    "listProjects listTraces getTrace getSpan listSpans getSeries listDatasets getDataset "
    "listDatasetRecords listDatasetVersions listExperiments getExperiment listExperimentCases "
    "compareExperiments listTraceScores listJudges getJudge listJudgeVersions getJudgeAgreement "
    "listScoreConfigs getScoreConfig listQueues getQueue listQueueItems listQueueReviews "
    "getQueueAgreement listRules getRule listJobs getJob listAlerts getAlert listAlertEvents "
    "listPrompts getPrompt listPromptVersions "
    "getPromptVersion resolvePrompt diffPromptVersions listLabelMoves listProviders listAgents "
    "getAgent getPlaygroundExperiment"
)
_REVIEW = (
    "createScores nextQueueItems submitReview skipQueueItem insertDatasetRecords "
    "addRecordsFromTraces createPromptVersion updatePrompt runPlayground startPlaygroundExperiment "
    "cancelPlaygroundExperiment"
)
_WRITE = (
    "ingestSpans exportTraces createDataset updateDatasetRecord deleteDatasetRecord "
    "createExperiment addExperimentCases finishExperiment createJudge updateJudge "
    "createScoreConfig updateScoreConfig createQueue updateQueue addQueueItems createRule "
    "updateRule deleteRule startBackfill retryJob cancelJob createAlert updateAlert deleteAlert "
    "testAlert deletePrompt movePromptLabel removePromptLabel undoLabelMove registerAgent "
    "deleteAgent"
)
_ADMIN = (
    "listMembers addMember updateMember removeMember listApiKeys createApiKey revokeApiKey "
    "listAuditEvents getProjectSettings updateProjectSettings "
    "saveProvider deleteProvider testProvider"
)
_INSTANCE_ADMIN = "listUsers createUser getUser updateUser createProject listInstanceAuditEvents"
_PUBLIC = "getHealth loginUser getMe oidcLogin oidcCallback page"
_SELF = "logoutUser changePassword"


def _table() -> dict[str, Permission]:
    groups: list[tuple[str, Permission]] = [
        (_PUBLIC, "public"),
        (_SELF, "self"),
        (_READ, "read"),
        (_REVIEW, "review"),
        (_WRITE, "write"),
        (_ADMIN, "admin"),
        (_INSTANCE_ADMIN, "instance_admin"),
    ]
    table: dict[str, Permission] = {}
    for names, permission in groups:
        for name in names.split():
            assert name not in table, f"{name} has two permissions"
            table[name] = permission
    return table


PERMISSIONS: dict[str, Permission] = _table()
"""operation_id → the permission it needs (``page`` is the web UI's catch-all route)."""
