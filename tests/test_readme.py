"""Every command in README.md's "Use" block runs as written (in a copy of the repository, as a fresh clone)."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    use = text[text.index("## Use"):text.index("### ", text.index("## Use"))]
    [block] = re.findall(r"```sh\n(.*?)```", use, re.S)
    return [line for line in block.splitlines() if line.strip() and not line.startswith(". ")]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The files a user has after cloning (fixtures, rules, docs), with ``main`` a git revision."""
    root = tmp_path_factory.mktemp("clone")
    for name in ("fixtures", "rules", "docs"):
        shutil.copytree(ROOT / name, root / name)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "rules"], ["git", "commit", "-qm", "rules"]):
        subprocess.run(cmd, cwd=root, check=True, env=env, capture_output=True)
    return root


def test_the_readme_lists_the_commands_users_need():
    commands = " ".join(readme_commands())
    for needed in ("-o ", ".zip", ".xlsx", "template", "schema", "config", "--rule", "--quiet"):
        assert needed in commands


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs_as_written(clone, command):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), f"{command}\nexit {proc.returncode}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    assert proc.stdout or any(clone.iterdir())
