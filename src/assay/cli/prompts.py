"""``assay prompts push|pull|list``: prompts kept in YAML files (in git, say) and the registry.

``push`` saves each prompt of a file as a new version (none when it equals the latest) and can
move labels to it; ``pull`` writes a version in the same format, so pushing back the latest
version pulled makes no new version (pushing an older one back is a rollback: a new version).
A file holds one prompt, or a list of them under ``prompts:``::

    name: answer
    description: Answers customer questions
    model: gpt-4o-mini
    params: {temperature: 0.2, max_tokens: 400}
    messages:
      - role: system
        content: You are a support agent for {{company}}.
      - role: user
        content: "{{question}}"
    # optional: tools, response_format, labels: [staging], message: "commit message"
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay import config
from assay.errors import AssayError, ConfigError, UsageError

if TYPE_CHECKING:
    import yaml

    from assay.evals._api import ApiClient

_FIELDS = ("name", "description", "model", "params", "messages", "tools", "response_format")
_OPTIONAL = ("labels", "message")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assay prompts`` to the command's subparsers."""
    p = sub.add_parser("prompts", help="Push prompts from YAML files, pull them back, list them.")
    cmds = p.add_subparsers(dest="prompts_command", required=True, metavar="COMMAND")

    def common(c: argparse.ArgumentParser) -> None:
        c.add_argument("--project", help="Project (default ASSAY_PROJECT).")
        c.add_argument("--api-url", help="Server URL (default ASSAY_API_URL).")
        c.add_argument("--api-key", help="Project API key (default ASSAY_API_KEY).")
        c.set_defaults(module="assay.cli.prompts")

    push = cmds.add_parser("push", help="Save the prompts of a YAML file as new versions.")
    push.add_argument("file", metavar="FILE", help="A YAML file of one prompt or `prompts:`.")
    push.add_argument(
        "--label", action="append", default=[], help="Move this label to the saved version "
        "(repeatable; needs the engineer role)."
    )  # fmt: skip
    push.add_argument("--message", help="Commit message (overrides the file's `message`).")
    common(push)
    pull = cmds.add_parser("pull", help="Write a version of a prompt as YAML.")
    pull.add_argument("name", metavar="NAME", help="Prompt name.")
    which = pull.add_mutually_exclusive_group()
    which.add_argument("--label", help="The version this label points at, e.g. production.")
    which.add_argument("--version", type=int, help="A version number (default the latest).")
    pull.add_argument("-o", "--output", help="File to write (default stdout).")
    common(pull)
    listing = cmds.add_parser("list", help="List the project's prompts and their labels.")
    common(listing)


@dataclass(frozen=True, slots=True)
class PromptDoc:
    """One prompt read from a file: its name and the body of ``createPromptVersion``."""

    name: str
    body: dict[str, Any]


def _problem(path: str, where: str, what: str) -> UsageError:
    return UsageError(f"{path}: {where}{what}")


def _load_yaml(path: str) -> Any:
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UsageError(f"{path}: not valid YAML{at}: {reason}") from None


def _check_doc(path: str, index: int | None, doc: Any) -> PromptDoc:
    from pydantic import ValidationError

    from assay.schema import PromptVersionIn

    where = "" if index is None else f"prompts[{index}]: "
    if not isinstance(doc, dict):
        raise _problem(path, where, "a prompt must be a mapping with name, model and messages")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _problem(path, where, "field 'name' is missing; give the prompt a name")
    where = f"prompt {name!r}: "
    unknown = sorted(str(k) for k in doc if k not in (*_FIELDS, *_OPTIONAL))
    if unknown:
        allowed = ", ".join((*_FIELDS, *_OPTIONAL))
        raise _problem(path, where, f"unknown field {unknown[0]!r}; the fields are {allowed}")
    body = {k: v for k, v in doc.items() if k != "name"}
    try:
        PromptVersionIn.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        reason = "is missing" if err["type"] == "missing" else err["msg"]
        raise _problem(path, where, f"field {field!r} {reason}") from None
    return PromptDoc(name=name, body=body)


def read_prompt_file(path: str) -> list[PromptDoc]:
    """The prompts of a YAML file; UsageError naming the file and field of the first problem."""
    data = _load_yaml(path)
    if isinstance(data, dict) and "prompts" in data:
        items = data["prompts"]
        if len(data) != 1 or not isinstance(items, list) or not items:
            raise _problem(path, "", "`prompts:` must be the only key, holding a list of prompts")
        return [_check_doc(path, i, item) for i, item in enumerate(items)]
    if data is None:
        raise _problem(path, "", "the file is empty; write a prompt (name, model, messages)")
    return [_check_doc(path, None, data)]


def _client(args: argparse.Namespace) -> tuple[ApiClient, str]:
    from assay.evals._api import ApiClient

    project = str(config.get("project", args.project))
    return ApiClient(args.api_url, args.api_key), project


def push(args: argparse.Namespace) -> int:
    """``assay prompts push FILE [--label L] [--message M]``."""
    from assay.evals._api import ApiError, q

    docs = read_prompt_file(args.file)
    api, project = _client(args)
    for doc in docs:
        body = dict(doc.body)
        body["labels"] = list(dict.fromkeys([*body.get("labels", []), *args.label]))
        if args.message is not None:
            body["message"] = args.message
        path = f"/projects/{q(project)}/prompts/{q(doc.name)}/versions"
        try:
            saved = api.post(path, body)
        except ApiError as exc:
            if exc.status >= 500:
                raise
            raise _problem(args.file, f"prompt {doc.name!r}: ", str(exc)) from None
        state = "new" if saved["created"] else "unchanged"
        labels = f" → {', '.join(body['labels'])}" if body["labels"] else ""
        print(f"{doc.name} v{saved['version']} ({state}){labels}")
    return 0


def _literal_dumper() -> type[yaml.SafeDumper]:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Multi-line strings as literal blocks, so prompts read well and diff well in git."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return Dumper


def to_yaml(prompt: dict[str, Any], version: dict[str, Any]) -> str:
    """A version in the file format ``push`` reads (no labels or commit message)."""
    import yaml

    doc: dict[str, Any] = {"name": version["prompt"]}
    if prompt.get("description"):
        doc["description"] = prompt["description"]
    doc["model"] = version["model"]
    if version.get("params"):
        doc["params"] = version["params"]
    doc["messages"] = [{"role": m["role"], "content": m["content"]} for m in version["messages"]]
    for key in ("tools", "response_format"):
        if version.get(key) is not None:
            doc[key] = version[key]
    head = f"# {version['prompt']} v{version['version']}, pulled from the assay registry\n"
    body = yaml.dump(doc, Dumper=_literal_dumper(), sort_keys=False, allow_unicode=True, width=100)
    return head + body


def pull(args: argparse.Namespace) -> int:
    """``assay prompts pull NAME [--label L | --version N] [-o FILE]``."""
    from assay.evals._api import q

    api, project = _client(args)
    base = f"/projects/{q(project)}/prompts/{q(args.name)}"
    version = api.get(base + "/resolve", label=args.label, version=args.version)
    text = to_yaml(api.get(base), version)
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote {args.name} v{version['version']} to {args.output}", file=sys.stderr)
    return 0


def list_prompts(args: argparse.Namespace) -> int:
    """``assay prompts list``: name, latest version, model and labels of each prompt."""
    from assay.evals._api import q

    api, project = _client(args)
    for prompt in api.get(f"/projects/{q(project)}/prompts"):
        labels = " ".join(f"{k}=v{v}" for k, v in prompt["labels"].items())
        print(
            f"{prompt['name']}  v{prompt['latest_version']}  {prompt['model']}  {labels}".rstrip()
        )
    return 0


def run(args: argparse.Namespace) -> int:
    """Entry point of ``assay prompts``."""
    from assay.evals._api import ApiError

    command = {"push": push, "pull": pull, "list": list_prompts}[args.prompts_command]
    try:
        return command(args)
    except (ConfigError, UsageError):
        raise
    except ApiError as exc:
        if exc.status < 500:  # the server refused: something the user can fix
            raise UsageError(str(exc)) from None
        print(f"assay: error: {exc}", file=sys.stderr)
        return 1
    except AssayError as exc:  # the server could not be reached
        print(f"assay: error: {exc}", file=sys.stderr)
        return 1
