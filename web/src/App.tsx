import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router-dom";

import { Shell } from "./components/Shell";
import { EmptyState, Loading } from "./components/States";
import { AuthGate } from "./pages/auth/AuthGate";
import { ProjectsPage } from "./pages/projects/ProjectsPage";

// Each section's code loads when it is first opened, so the first page needs only the shell.
const DatasetPage = lazy(() =>
  import("./pages/datasets/DatasetPage").then((m) => ({ default: m.DatasetPage })),
);
const DatasetsPage = lazy(() =>
  import("./pages/datasets/DatasetsPage").then((m) => ({ default: m.DatasetsPage })),
);
const ComparePage = lazy(() =>
  import("./pages/experiments/ComparePage").then((m) => ({ default: m.ComparePage })),
);
const ExperimentsPage = lazy(() =>
  import("./pages/experiments/ExperimentsPage").then((m) => ({ default: m.ExperimentsPage })),
);
const JudgesPage = lazy(() =>
  import("./pages/judges/JudgesPage").then((m) => ({ default: m.JudgesPage })),
);
const JudgePage = lazy(() =>
  import("./pages/judges/JudgePage").then((m) => ({ default: m.JudgePage })),
);
const QueuesPage = lazy(() =>
  import("./pages/queues/QueuesPage").then((m) => ({ default: m.QueuesPage })),
);
const QueuePage = lazy(() =>
  import("./pages/queues/QueuePage").then((m) => ({ default: m.QueuePage })),
);
const ReviewPage = lazy(() =>
  import("./pages/queues/ReviewPage").then((m) => ({ default: m.ReviewPage })),
);
const ScoreConfigsPage = lazy(() =>
  import("./pages/settings/ScoreConfigsPage").then((m) => ({ default: m.ScoreConfigsPage })),
);
const MonitoringPage = lazy(() =>
  import("./pages/monitoring/MonitoringPage").then((m) => ({ default: m.MonitoringPage })),
);
const RulesPage = lazy(() =>
  import("./pages/online/RulesPage").then((m) => ({ default: m.RulesPage })),
);
const RulePage = lazy(() =>
  import("./pages/online/RulePage").then((m) => ({ default: m.RulePage })),
);
const JobsPage = lazy(() =>
  import("./pages/jobs/JobsPage").then((m) => ({ default: m.JobsPage })),
);
const AlertsPage = lazy(() =>
  import("./pages/alerts/AlertsPage").then((m) => ({ default: m.AlertsPage })),
);
const TracePage = lazy(() =>
  import("./pages/trace/TracePage").then((m) => ({ default: m.TracePage })),
);
const MembersPage = lazy(() =>
  import("./pages/settings/MembersPage").then((m) => ({ default: m.MembersPage })),
);
const ApiKeysPage = lazy(() =>
  import("./pages/settings/ApiKeysPage").then((m) => ({ default: m.ApiKeysPage })),
);
const AuditLogPage = lazy(() =>
  import("./pages/settings/AuditLogPage").then((m) => ({ default: m.AuditLogPage })),
);
const InstanceAuditLogPage = lazy(() =>
  import("./pages/settings/AuditLogPage").then((m) => ({ default: m.InstanceAuditLogPage })),
);
const ProjectSettingsPage = lazy(() =>
  import("./pages/settings/ProjectSettingsPage").then((m) => ({ default: m.ProjectSettingsPage })),
);
const UsersPage = lazy(() =>
  import("./pages/admin/UsersPage").then((m) => ({ default: m.UsersPage })),
);
const PromptsPage = lazy(() =>
  import("./pages/prompts/PromptsPage").then((m) => ({ default: m.PromptsPage })),
);
const PromptPage = lazy(() =>
  import("./pages/prompts/PromptPage").then((m) => ({ default: m.PromptPage })),
);
const PlaygroundPage = lazy(() =>
  import("./pages/playground/PlaygroundPage").then((m) => ({ default: m.PlaygroundPage })),
);
const ProvidersPage = lazy(() =>
  import("./pages/settings/ProvidersPage").then((m) => ({ default: m.ProvidersPage })),
);
const TracesPage = lazy(() =>
  import("./pages/traces/TracesPage").then((m) => ({ default: m.TracesPage })),
);

/** Every page, by URL. Filters and selections live in the query string, so links reproduce views.
 * With authentication on, the sign-in page stands in for any of them until someone signs in. */
export function App() {
  return (
    <AuthGate>
      <Shell>
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<ProjectsPage />} />
            <Route path="/projects/:project/traces" element={<TracesPage />} />
            <Route path="/projects/:project/traces/:traceId" element={<TracePage />} />
            <Route path="/projects/:project/experiments" element={<ExperimentsPage />} />
            <Route path="/projects/:project/experiments/compare" element={<ComparePage />} />
            <Route path="/projects/:project/datasets" element={<DatasetsPage />} />
            <Route path="/projects/:project/datasets/:dataset" element={<DatasetPage />} />
            <Route path="/projects/:project/monitoring" element={<MonitoringPage />} />
            <Route path="/projects/:project/judges" element={<JudgesPage />} />
            <Route path="/projects/:project/judges/:judge" element={<JudgePage />} />
            <Route path="/projects/:project/queues" element={<QueuesPage />} />
            <Route path="/projects/:project/queues/:queue" element={<QueuePage />} />
            <Route path="/projects/:project/queues/:queue/review" element={<ReviewPage />} />
            <Route path="/projects/:project/settings/scores" element={<ScoreConfigsPage />} />
            <Route path="/projects/:project/online" element={<RulesPage />} />
            <Route path="/projects/:project/online/:rule" element={<RulePage />} />
            <Route path="/projects/:project/jobs" element={<JobsPage />} />
            <Route path="/projects/:project/alerts" element={<AlertsPage />} />
            <Route path="/projects/:project/prompts" element={<PromptsPage />} />
            <Route path="/projects/:project/prompts/:prompt" element={<PromptPage />} />
            <Route path="/projects/:project/playground" element={<PlaygroundPage />} />
            <Route path="/projects/:project/settings/providers" element={<ProvidersPage />} />
            <Route path="/projects/:project/settings/members" element={<MembersPage />} />
            <Route path="/projects/:project/settings/api-keys" element={<ApiKeysPage />} />
            <Route path="/projects/:project/settings/audit" element={<AuditLogPage />} />
            <Route path="/projects/:project/settings/project" element={<ProjectSettingsPage />} />
            <Route path="/admin/users" element={<UsersPage />} />
            <Route path="/admin/audit" element={<InstanceAuditLogPage />} />
            <Route
              path="*"
              element={<EmptyState title="No such page">Check the address.</EmptyState>}
            />
          </Routes>
        </Suspense>
      </Shell>
    </AuthGate>
  );
}
