"""The configuration file: ``asa-check.toml`` in the working directory, else ``[tool.asa-check]`` in ``pyproject.toml``.

Keys are the long names of the command-line options, written with ``-`` or
``_`` (``fail-on``, ``rules``, ``parameters``, ``output``, ``lang``, …), so every
option of every command can be set without code here. A key at the top applies
to every command that has the option; a table names one command
(``[check]``, ``[ledger]``, ``[rules.test]``) and applies only there. A flag given
on the command line wins (the file gives click's defaults, ``default_map``).
A key no command knows and a value an option refuses are usage errors naming
the file and the key. Paths are taken as written, relative to the working
directory (where the file is).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import click

from engine.report.words import Phrase, WordsError

CONFIG_FILE = "asa-check.toml"
PYPROJECT = "pyproject.toml"
MAX_BYTES = 1_000_000


class ConfigError(WordsError):
    """The configuration file cannot be used: a usage error naming the file (and the key)."""


@dataclass
class Config:
    path: Path | None = None  # None: no configuration file
    label: str = ""  # "asa-check.toml" or "pyproject.toml [tool.asa-check]"
    table: dict = field(default_factory=dict)


def find(cwd: Path | None = None) -> Config:
    """The configuration in force in ``cwd`` (default: the working directory); an empty one when there is none."""
    cwd = Path.cwd() if cwd is None else cwd
    own = cwd / CONFIG_FILE
    if own.is_file():
        return Config(own, CONFIG_FILE, _load(own))
    project = cwd / PYPROJECT
    if project.is_file():
        table = _load(project).get("tool", {}).get("asa-check")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError("cfg_not_a_table", path=project)
            return Config(project, f"{PYPROJECT} [tool.asa-check]", table)
    return Config()


def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError("cfg_too_large", path=path, max=MAX_BYTES)
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("cfg_not_toml", path=path, problem=e) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError("cfg_not_readable", path=path, why=type(e).__name__) from None


def _norm(key: str) -> str:
    return key.strip().lstrip("-").replace("-", "_").lower()


def option_keys(command: click.Command) -> dict[str, tuple[click.Option, bool]]:
    """Config key -> (option, inverted) for every option of ``command``: long names, ``--no-x`` inverts a flag."""
    keys: dict[str, tuple[click.Option, bool]] = {}
    for param in command.params:
        if not isinstance(param, click.Option) or param.name in ("help", "version"):
            continue
        keys.setdefault(_norm(param.name), (param, False))
        for opt in param.opts:
            if opt.startswith("--"):
                keys[_norm(opt)] = (param, False)
        for opt in param.secondary_opts:
            if opt.startswith("--"):
                keys[_norm(opt)] = (param, True)
    return keys


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    """Every command below ``group`` by its path: ("check",), ("rules", "test"), …"""
    out: dict[tuple[str, ...], click.Command] = {}
    for name, cmd in sorted(group.commands.items()):
        out[prefix + (name,)] = cmd
        if isinstance(cmd, click.Group):
            out.update(commands(cmd, prefix + (name,)))
    return out


@dataclass
class Setting:
    command: tuple[str, ...]
    option: click.Option
    value: object
    key: str  # as written in the file, with its table: "fail-on", "check.fail-on"


def settings(config: Config, group: click.Group) -> list[Setting]:
    """Every value the file sets, for every command it applies to; raises ConfigError on an unknown key or bad value."""
    cmds = commands(group)
    out: list[Setting] = []

    def walk(table: dict, path: tuple[str, ...]) -> None:
        for key, value in table.items():
            sub = path + (_norm(key),)
            dotted = ".".join(path + (key,))
            if isinstance(value, dict):
                if sub not in cmds:
                    raise ConfigError("cfg_not_a_command", label=config.label, dotted=dotted)
                walk(value, sub)
                continue
            targets = [p for p in cmds if p[: len(path)] == path] if path else list(cmds)
            hits = [(p, option_keys(cmds[p])[_norm(key)]) for p in targets if _norm(key) in option_keys(cmds[p])]
            if not hits:
                where = Phrase("cfg_in_command", command=" ".join(path)) if path else ""
                raise ConfigError("cfg_unknown_key", label=config.label, dotted=repr(dotted), where=where, key=key)
            for cmd_path, (option, inverted) in hits:
                out.append(Setting(cmd_path, option, _value(config, dotted, option, value, inverted), dotted))

    walk(config.table, ())
    # a command's own table wins over the top level
    out.sort(key=lambda s: s.key.count("."))
    return out


def _value(config: Config, key: str, option: click.Option, value, inverted: bool):
    if inverted:
        if not isinstance(value, bool):
            raise ConfigError("cfg_expected_bool", label=config.label, key=key)
        value = not value
    if option.multiple and not isinstance(value, list):
        value = [value]
    try:
        if option.multiple:
            [option.type.convert(v, option, None) for v in value]
        else:
            option.type.convert(value, option, None)
    except click.BadParameter as e:
        raise ConfigError("cfg_bad_value", label=config.label, key=key,
                          problem_de=e.message, problem_en=e.message) from None
    except (TypeError, ValueError, AttributeError):  # click's converters expect text: `color = 3` is no flag
        raise ConfigError("cfg_bad_value", label=config.label, key=key,
                          problem_de=f"ungültiger Wert {value!r}", problem_en=f"invalid value {value!r}") from None
    return value


def default_map(config: Config, group: click.Group) -> dict:
    """click's ``default_map`` for ``group``: {command: {option name: value}}, sub-groups nested."""
    out: dict = {}
    for s in settings(config, group):
        node = out
        for part in s.command:
            node = node.setdefault(part, {})
        node[s.option.name] = s.value
    return out
