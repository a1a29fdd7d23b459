"""``AgentStore``: the agent endpoints of :class:`SqlStore` (issue 7). SQL in :mod:`.agents`."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from assay.schema import Agent, AgentIn, AgentInfo
from assay.store.sql import agents
from assay.store.sql import engine as engines
from assay.store.sql.dialect import Dialect


class SqlAgentStore:
    """Mixed into ``SqlStore`` (it has the engine)."""

    engine: sa.Engine
    dialect: Dialect
    _project_name: Callable[[sa.Connection, str], str]  # SqlStore's method

    def put_agent(self, project_id: str, name: str, agent: AgentIn, *, info: AgentInfo) -> Agent:
        """Register or update agent ``name`` with what its endpoint said about itself."""
        with engines.writing(self.engine) as conn:
            self._project_name(conn, project_id)
            return agents.to_model(
                agents.put(conn, self.dialect, project_id, name, agent=agent, info=info)
            )

    def list_agents(self, project_id: str) -> list[Agent]:
        """The project's agents by name."""
        with engines.reading(self.engine) as conn:
            return [agents.to_model(row) for row in agents.list_rows(conn, project_id)]

    def get_agent(self, project_id: str, name: str) -> Agent | None:
        """Agent ``name``, or None."""
        with engines.reading(self.engine) as conn:
            row = agents.find(conn, project_id, name)
            return None if row is None else agents.to_model(row)

    def delete_agent(self, project_id: str, name: str) -> bool:
        """Forget an agent; False when there was none."""
        with engines.writing(self.engine) as conn:
            return agents.delete(conn, project_id, name)
