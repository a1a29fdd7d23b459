"""``assay prompts push|pull|list`` against a real ``assay serve``: prompts kept in git as YAML."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.integration.conftest import ServerProcess, child_env

PROJECT = "prompts-it"
ANSWER = """\
name: answer
description: Answers customer questions
model: gpt-4o-mini
params: {temperature: 0.2, max_tokens: 400}
messages:
  - role: system
    content: |
      You are a support agent for {{company}}.
      {{#vip}}The customer is a VIP: be generous.{{/vip}}
  - role: user
    content: "{{question}}"
message: first version
"""


def prompts_cli(server: ServerProcess, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``assay prompts ARGS`` against the server, as a user would."""
    cmd = [sys.executable, "-m", "assay.cli", "prompts", *args]
    env = child_env(ASSAY_API_URL=server.url, ASSAY_PROJECT=PROJECT)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_push_pull_round_trip_makes_no_new_version_and_labels_move(
    server: ServerProcess, api: httpx.Client, tmp_path: Path
) -> None:
    path = tmp_path / "answer.yaml"
    path.write_text(ANSWER)
    first = prompts_cli(server, tmp_path, "push", str(path), "--label", "staging")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "answer v1 (new) → staging"
    again = prompts_cli(server, tmp_path, "push", str(path))
    assert (again.returncode, again.stdout.strip()) == (0, "answer v1 (unchanged)")

    path.write_text(ANSWER.replace("temperature: 0.2", "temperature: 0.4"))
    second = prompts_cli(server, tmp_path, "push", "answer.yaml", "--message", "warmer")
    assert second.stdout.strip() == "answer v2 (new)", second.stderr
    saved = api.get(f"/api/v1/projects/{PROJECT}/prompts/answer/versions/2").json()
    assert (saved["message"], saved["params"]["temperature"]) == ("warmer", 0.4)
    assert saved["variables"] == ["company", "vip", "question"]

    # pull the labelled version to stdout and to a file
    pulled = prompts_cli(server, tmp_path, "pull", "answer", "--label", "staging")
    assert pulled.returncode == 0, pulled.stderr
    assert "temperature: 0.2" in pulled.stdout and "content: |" in pulled.stdout
    out = prompts_cli(server, tmp_path, "pull", "answer", "--version", "1", "-o", "v1.yaml")
    assert out.returncode == 0 and "wrote answer v1 to v1.yaml" in out.stderr
    assert (tmp_path / "v1.yaml").read_text() == pulled.stdout
    # pushing an older version back is a rollback: a new version with the old content
    back = prompts_cli(server, tmp_path, "push", "v1.yaml", "--label", "production")
    assert back.stdout.strip() == "answer v3 (new) → production", back.stderr
    # the round trip: pull the latest, push it unchanged, and no version is made
    latest = prompts_cli(server, tmp_path, "pull", "answer", "-o", "latest.yaml")
    assert latest.returncode == 0
    round_trip = prompts_cli(server, tmp_path, "push", "latest.yaml", "--label", "production")
    assert round_trip.stdout.strip() == "answer v3 (unchanged) → production"
    versions = api.get(f"/api/v1/projects/{PROJECT}/prompts/answer/versions").json()
    assert [v["version"] for v in versions] == [3, 2, 1]
    diff = api.get(f"/api/v1/projects/{PROJECT}/prompts/answer/diff?from=1&to=3").json()
    assert diff["fields"] == [] and {m["status"] for m in diff["messages"]} == {"same"}
    moves = api.get(f"/api/v1/projects/{PROJECT}/prompts/answer/label-moves").json()
    assert [(m["label"], m["to_version"]) for m in moves] == [("production", 3), ("staging", 1)]

    listed = prompts_cli(server, tmp_path, "list")
    assert listed.stdout.splitlines() == ["answer  v3  gpt-4o-mini  production=v3 staging=v1"]


def test_a_file_of_several_prompts_and_errors_name_the_file_and_field(
    server: ServerProcess, tmp_path: Path
) -> None:
    many = tmp_path / "all.yaml"
    many.write_text(
        "prompts:\n"
        "  - {name: greet, model: m, messages: [{role: user, content: 'Hi {{name}}'}]}\n"
        "  - {name: bye, model: m, messages: [{role: user, content: Bye}]}\n"
    )
    pushed = prompts_cli(server, tmp_path, "push", "all.yaml")
    assert pushed.stdout.splitlines() == ["greet v1 (new)", "bye v1 (new)"], pushed.stderr

    cases = {
        "bad.yaml": ("name: x\nmessages: [\n", ["bad.yaml: not valid YAML at line"]),
        "nomodel.yaml": (
            "name: x\nmessages: [{role: user, content: hi}]\n",
            ["nomodel.yaml: prompt 'x': field 'model' is missing"],
        ),
        "role.yaml": (
            "name: x\nmodel: m\nmessages: [{role: robot, content: hi}]\n",
            ["role.yaml: prompt 'x': field 'messages.0.role'"],
        ),
        "extra.yaml": (
            "name: x\nmodel: m\ntemperature: 1\nmessages: [{role: user, content: hi}]\n",
            ["extra.yaml: prompt 'x': unknown field 'temperature'"],
        ),
        "label.yaml": (  # refused by the server (422): the message still names file and label
            "name: x\nmodel: m\nlabels: [Prod!]\nmessages: [{role: user, content: hi}]\n",
            ["label.yaml: prompt 'x': the assay server answered 422", "'Prod!'"],
        ),
    }
    for name, (text, words) in cases.items():
        (tmp_path / name).write_text(text)
        done = prompts_cli(server, tmp_path, "push", name)
        assert done.returncode == 2, (name, done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and all(word in lines[0] for word in words), (name, lines)
    missing = prompts_cli(server, tmp_path, "pull", "nope")
    assert missing.returncode == 2 and "Prompt 'nope' does not exist" in missing.stderr
