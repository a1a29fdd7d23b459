"""A rule's scorers made runnable: server judges as :class:`~assay.scorers.LLMJudge`, built-in
scorers from :data:`assay.scorers.REGISTRY` with their arguments.

The rules API checks a rule with :func:`check_rule` (every judge and pinned version exists, every
built-in scorer exists and accepts its arguments, the route's queue exists and its score is one
the rule writes); the scoring job builds the same scorers with :func:`resolve`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.errors import ConfigError, NotFoundError
from assay.evals._scoring import Scorer, prepare
from assay.schema import Judge, RuleIn, RuleScorer
from assay.scorers import REGISTRY, LLMJudge
from assay.server.models import ModelTarget, target_for
from assay.store.base import Store

Placer = Callable[[str], ModelTarget]
"""Where a judge's model calls go: ``model`` → :class:`ModelTarget`."""


@dataclass(frozen=True, slots=True)
class RunnableScorer:
    """One scorer of a rule, ready to call.

    Attributes:
        key: ``judge:NAME`` or ``scorer:NAME``: what a retry names to run again.
        name: The judge's or the built-in scorer's name (the scores' ``scorer``).
        scorer: The prepared callable.
        judge: The judge object when the scorer asks a model (server judge or built-in judge).
        server_judge: True for a server judge (its scores carry ``judge`` and its version).
        needs_expected: The scorer cannot run on a span without ``expected``.
    """

    key: str
    name: str
    scorer: Scorer
    judge: LLMJudge | None = None
    server_judge: bool = False
    needs_expected: bool = False

    @property
    def score_name(self) -> str:
        """The name of the scores it writes."""
        if self.judge is not None:
            return self.judge.score_name or self.judge.name
        return self.scorer.name


def key_of(spec: RuleScorer) -> str:
    """The key of a rule's scorer (see :attr:`RunnableScorer.key`)."""
    return f"judge:{spec.judge}" if spec.judge is not None else f"scorer:{spec.scorer}"


def judge_scorer(judge: Judge, *, target: ModelTarget | None = None) -> LLMJudge:
    """The server judge ``judge`` (at its version) as a scorer; ``target``: where its model's
    calls go (:func:`assay.server.models.target_for`), default the process-wide routing."""
    return LLMJudge(
        name=judge.name,
        prompt=judge.prompt,
        choices=dict(judge.choices),
        model=judge.model if target is None else target.model,
        provider=None if target is None else target.provider,
        use_cot=judge.use_cot,
        params=dict(judge.params),
        version=judge.version,
        score_name=judge.score_name,
    )


def _needs_expected(fn: Any) -> bool:
    target = fn.__call__ if not inspect.isfunction(fn) and hasattr(fn, "__call__") else fn  # noqa: B004
    try:
        param = inspect.signature(target).parameters.get("expected")
    except (TypeError, ValueError):
        return False
    return param is not None and param.default is inspect.Parameter.empty


def build_builtin(spec: RuleScorer, *, place: Placer | None = None) -> RunnableScorer:
    """A built-in scorer made with its arguments (a judge's calls placed by ``place``).

    Raises:
        KeyError: No built-in scorer has that name.
        Exception: The factory refused the arguments (TypeError, ValueError, UsageError, …).
    """
    assert spec.scorer is not None
    made = REGISTRY[spec.scorer](**spec.args)
    if isinstance(made, LLMJudge) and made.provider is None and place is not None:
        target = place(made.model)
        if target.provider is not None:
            made = dataclasses.replace(made, model=target.model, provider=target.provider)
    judge = made if isinstance(made, LLMJudge) else None
    return RunnableScorer(
        key=key_of(spec),
        name=spec.scorer,
        scorer=prepare(made),
        judge=judge,
        needs_expected=_needs_expected(made),
    )


def build_judge(spec: RuleScorer, judge: Judge, *, place: Placer | None = None) -> RunnableScorer:
    """A server judge's scorer (its calls placed by ``place``)."""
    made = judge_scorer(judge, target=None if place is None else place(judge.model))
    return RunnableScorer(
        key=key_of(spec), name=judge.name, scorer=prepare(made), judge=made, server_judge=True
    )


def find_judge(store: Store, project_id: str, spec: RuleScorer) -> Judge | str:
    """The judge a scorer names, or why it cannot be had."""
    assert spec.judge is not None
    try:
        found = store.get_judge(project_id, spec.judge, version=spec.version)
    except NotFoundError:
        latest = store.get_judge(project_id, spec.judge)
        last = "?" if latest is None else latest.latest_version
        return f"judge {spec.judge!r} has no version {spec.version} (its latest is {last})"
    if found is None:
        return f"judge {spec.judge!r} does not exist in this project"
    return found


def placer(store: Store, project_id: str) -> Placer:
    """Where the project's judges send their calls: its own providers first."""
    return functools.partial(target_for, store, project_id)


def resolve(
    store: Store, project_id: str | None, specs: list[RuleScorer], *, providers: bool = True
) -> tuple[list[RunnableScorer], list[str]]:
    """Build the scorers of a rule (blocking: it reads judges); returns them and the problems
    of those that could not be built, one sentence each. With ``providers`` the judges call
    through the project's own provider keys (:mod:`assay.server.models`)."""
    built: list[RunnableScorer] = []
    problems: list[str] = []
    place = placer(store, project_id) if providers and project_id is not None else None
    for spec in specs:
        try:
            found = _build(store, project_id, spec, place)
        except ConfigError as exc:  # the project's key cannot be decrypted here
            found = f"{key_of(spec)}: {exc}"
        if isinstance(found, str):
            problems.append(found)
        else:
            built.append(found)
    return built, problems


def _build(
    store: Store, project_id: str | None, spec: RuleScorer, place: Placer | None
) -> RunnableScorer | str:
    if spec.judge is not None:
        if project_id is None:
            return f"judge {spec.judge!r} does not exist in this project"
        found = find_judge(store, project_id, spec)
        return found if isinstance(found, str) else build_judge(spec, found, place=place)
    try:
        return build_builtin(spec, place=place)
    except ConfigError:
        raise
    except KeyError:
        return f"scorer {spec.scorer!r} is not a built-in scorer"
    except Exception as exc:  # the factory refused its arguments
        return f"scorer {spec.scorer!r} refused its args: {exc}"


def _scorer_problems(
    store: Store, project_id: str | None, project: str, specs: list[RuleScorer]
) -> tuple[list[dict[str, Any]], list[RunnableScorer]]:
    details: list[dict[str, Any]] = []
    built: list[RunnableScorer] = []
    for index, spec in enumerate(specs):
        found, problems = resolve(store, project_id, [spec], providers=False)
        built.extend(found)
        if not problems:
            continue
        field = "judge" if spec.judge is not None else "scorer"
        reason = problems[0]
        if field == "judge":
            reason += f"; create it with POST /api/v1/projects/{project}/judges or name another"
        elif spec.scorer not in REGISTRY:
            reason += f"; the built-in scorers are {', '.join(sorted(REGISTRY))}"
        else:
            field = "args"
        details.append({"field": f"body.scorers.{index}.{field}", "reason": reason})
    return details, built


def check_rule(
    store: Store, project_id: str | None, project: str, rule: RuleIn
) -> list[dict[str, Any]]:
    """Every problem of ``rule`` that the store can tell (field and reason each); empty when
    the rule can run. ``project_id`` None: project ``project`` does not exist yet."""
    details: list[dict[str, Any]] = []
    for index, item in enumerate(rule.filter.metadata):
        key, sep, _ = item.partition("=")
        if not sep or not key:
            details.append(
                {
                    "field": f"body.filter.metadata.{index}",
                    "reason": f"{item!r} must look like key=value (e.g. env=prod)",
                }
            )
    problems, built = _scorer_problems(store, project_id, project, rule.scorers)
    details.extend(problems)
    route = rule.route
    if route is None:
        return details
    if project_id is None or store.get_queue(project_id, route.queue, progress=False) is None:
        details.append(
            {
                "field": "body.route.queue",
                "reason": f"queue {route.queue!r} does not exist in project {project!r}; "
                f"create it with POST /api/v1/projects/{project}/queues",
            }
        )
    names = sorted({b.score_name for b in built})
    if not problems and route.score_name not in names:
        details.append(
            {
                "field": "body.route.score_name",
                "reason": f"{route.score_name!r} is not a score this rule writes ({names})",
            }
        )
    return details
