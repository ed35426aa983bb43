"""Per-repository configuration: ``[tool.mathlint]`` in the post's nearest ``pyproject.toml``,
or a ``mathlint.toml`` (top-level keys), looked up from the post's directory upwards to the
repository's root (the folder that holds ``.git``), never above it.

    [tool.mathlint]
    seed = 0
    timeout = 20                      # seconds per claim
    fail-on = ["refuted"]             # verdicts that make the run fail (exit 1)
    severity = { ML002 = "error", ML005 = "off" }   # findings: error (fails), warning, off (hidden)
    include = ["posts/**", "*.ipynb"]  # in a folder checked: only these files (default: every format's)
    exclude = ["drafts", "*.draft.md"]  # in a folder checked: never these

A configuration file sits beside the posts, so in CI it may come from the pull request
being checked: ``--config FILE`` pins one file for every post and ``--isolated`` reads
none. Every value is validated and bounded: a bad one is an error, never a silent default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Verdict
from ..rule_codes import RULES, SEVERITIES

VERDICTS_THAT_CAN_FAIL = tuple(v for v in Verdict if v != Verdict.PROVED)
MAX_TIMEOUT = 600.0  # seconds per claim: a configuration cannot hold a run longer than this per claim
MAX_SEED = 2**32 - 1
NAMES = (("mathlint.toml", None), ("pyproject.toml", ("tool", "mathlint")))


class ConfigError(Exception):
    """A configuration file mathlint cannot use; the message names the file and the key."""


@dataclass
class Config:
    seed: int | None = None
    timeout: float | None = None
    fail_on: tuple[str, ...] = ("refuted",)
    severity: dict[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = ()  # folder discovery's patterns (sources.files.Globs)
    exclude: tuple[str, ...] = ()
    source: str | None = None


def find_config(post: Path, explicit: Path | None = None, isolated: bool = False) -> Config:
    """The configuration for ``post``: ``explicit`` when given (``--config``), none when
    ``isolated``, else the nearest file from the post's folder up to the repository root."""
    if isolated:
        return Config()
    if explicit is not None:
        return load_config(explicit)
    start = post.resolve().parent
    top = repository_root(start)  # nothing above it belongs to the project
    for d in [start, *start.parents]:
        for name, table in NAMES:
            f = d / name
            if f.is_file():
                data = _table(_read(f), table)
                if data is not None:
                    return _parse(data, str(f))
        if d == top:
            break
    return Config()


def repository_root(start: Path) -> Path | None:
    """The folder at or above ``start`` that holds ``.git`` (None outside a repository)."""
    return next((d for d in (start, *start.parents) if (d / ".git").exists()), None)


def load_config(path: Path) -> Config:
    """``--config FILE``: its ``[tool.mathlint]`` table when it has one (a ``pyproject.toml``),
    else its top-level keys (as in a ``mathlint.toml``), whatever the file is called."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    data = _read(path)
    found = _table(data, ("tool", "mathlint"))
    return _parse(data if found is None else found, str(path))


def _read(f: Path) -> dict:
    import tomllib  # only here: most posts have no configuration file, and it costs 5 ms to import

    try:
        return tomllib.loads(f.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{f}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{f}: cannot read ({exc.strerror or exc})") from None


def _table(data: dict, keys: tuple[str, ...] | None) -> dict | None:
    """The mathlint table of ``data`` (None when a pyproject.toml has none)."""
    for key in keys or ():
        data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            return None
    return data if isinstance(data, dict) else None


def _parse(data: dict, source: str) -> Config:
    cfg = Config(source=source)
    known = {"seed", "timeout", "fail-on", "severity", "include", "exclude"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    if "seed" in data:
        seed = data["seed"]
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
            raise ConfigError(f"{source}: seed must be an integer from 0 to {MAX_SEED}")
        cfg.seed = seed
    if "timeout" in data:
        t = data["timeout"]
        if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 < t <= MAX_TIMEOUT:
            raise ConfigError(f"{source}: timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}")
        cfg.timeout = float(t)
    if "fail-on" in data:
        values = data["fail-on"]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ConfigError(f"{source}: fail-on must be a list of verdicts")
        bad = [v for v in values if v not in VERDICTS_THAT_CAN_FAIL]
        if bad:
            raise ConfigError(f"{source}: fail-on has unknown verdict(s) {', '.join(bad)} "
                              f"(known: {', '.join(VERDICTS_THAT_CAN_FAIL)})")
        cfg.fail_on = tuple(values)
    for key in ("include", "exclude"):
        if key in data:
            setattr(cfg, key, _patterns(data[key], f"{source}: {key}"))
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{source}: severity must be a table of rule = level")
    for rule, level in severity.items():
        if rule not in RULES:
            raise ConfigError(f"{source}: severity names an unknown rule {rule}")
        if level not in SEVERITIES:
            raise ConfigError(f"{source}: severity of {rule} must be {', '.join(SEVERITIES[:-1])} or {SEVERITIES[-1]}")
        cfg.severity[rule] = level
    return cfg


MAX_PATTERNS, MAX_PATTERN_CHARS = 200, 500


def _patterns(values: object, where: str) -> tuple[str, ...]:
    """A list of glob patterns (``include``, ``exclude``, ``--include``, ``--exclude``), bounded."""
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(f"{where} must be a list of glob patterns (non-empty strings)")
    if len(values) > MAX_PATTERNS or any(len(v) > MAX_PATTERN_CHARS for v in values):
        raise ConfigError(f"{where}: at most {MAX_PATTERNS} patterns of at most {MAX_PATTERN_CHARS} characters")
    return tuple(v.strip().removeprefix("./") for v in values)


def patterns(values: list[str], flag: str) -> tuple[str, ...]:
    """Glob patterns given on the command line, checked as the configuration's."""
    return _patterns(values, flag)
