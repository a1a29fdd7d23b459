import { Route, Routes } from "react-router-dom";

import { Shell } from "./components/Shell";
import { EmptyState } from "./components/States";
import { DatasetPage } from "./pages/datasets/DatasetPage";
import { DatasetsPage } from "./pages/datasets/DatasetsPage";
import { ComparePage } from "./pages/experiments/ComparePage";
import { ExperimentsPage } from "./pages/experiments/ExperimentsPage";
import { MonitoringPage } from "./pages/monitoring/MonitoringPage";
import { ProjectsPage } from "./pages/projects/ProjectsPage";
import { TracePage } from "./pages/trace/TracePage";
import { TracesPage } from "./pages/traces/TracesPage";

/** Every page, by URL. Filters and selections live in the query string, so links reproduce views. */
export function App() {
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<ProjectsPage />} />
        <Route path="/projects/:project/traces" element={<TracesPage />} />
        <Route path="/projects/:project/traces/:traceId" element={<TracePage />} />
        <Route path="/projects/:project/experiments" element={<ExperimentsPage />} />
        <Route path="/projects/:project/experiments/compare" element={<ComparePage />} />
        <Route path="/projects/:project/datasets" element={<DatasetsPage />} />
        <Route path="/projects/:project/datasets/:dataset" element={<DatasetPage />} />
        <Route path="/projects/:project/monitoring" element={<MonitoringPage />} />
        <Route path="*" element={<EmptyState title="No such page">Check the address.</EmptyState>} />
      </Routes>
    </Shell>
  );
}
