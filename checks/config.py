"""Per-repository configuration: ``[tool.mathlint]`` in the post's nearest ``pyproject.toml``,
or a ``mathlint.toml`` (top-level keys), looked up from the post's directory upwards.

    [tool.mathlint]
    seed = 0
    timeout = 20                      # seconds per claim
    fail-on = ["refuted"]             # verdicts that make the run fail (exit 1)
    severity = { ML002 = "error", ML005 = "off" }   # findings: error (fails), warning, off (hidden)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

VERDICTS_THAT_CAN_FAIL = ("refuted", "needs-assumption", "unparsed", "timeout", "unchecked", "consistent")


class ConfigError(Exception):
    """A configuration file mathlint cannot use; the message names the file and the key."""


@dataclass
class Config:
    seed: int | None = None
    timeout: float | None = None
    fail_on: tuple[str, ...] = ("refuted",)
    severity: dict[str, str] = field(default_factory=dict)
    source: str | None = None


def find_config(post: Path) -> Config:
    for d in [post.resolve().parent, *post.resolve().parent.parents]:
        for name, table in (("mathlint.toml", None), ("pyproject.toml", ("tool", "mathlint"))):
            f = d / name
            if not f.is_file():
                continue
            import tomllib  # only here: most posts have no configuration file, and it costs 5 ms to import

            try:
                data = tomllib.loads(f.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{f}: not valid TOML ({exc})") from None
            for key in table or ():
                data = data.get(key, {}) if isinstance(data, dict) else {}
            if table and not data:
                continue
            return _parse(data, str(f))
    return Config()


def _parse(data: dict, source: str) -> Config:
    cfg = Config(source=source)
    known = {"seed", "timeout", "fail-on", "severity"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    if "seed" in data:
        if not isinstance(data["seed"], int):
            raise ConfigError(f"{source}: seed must be an integer")
        cfg.seed = data["seed"]
    if "timeout" in data:
        if not isinstance(data["timeout"], (int, float)) or data["timeout"] <= 0:
            raise ConfigError(f"{source}: timeout must be a positive number of seconds")
        cfg.timeout = float(data["timeout"])
    if "fail-on" in data:
        bad = [v for v in data["fail-on"] if v not in VERDICTS_THAT_CAN_FAIL]
        if bad:
            raise ConfigError(f"{source}: fail-on has unknown verdict(s) {', '.join(bad)}")
        cfg.fail_on = tuple(data["fail-on"])
    for rule, level in data.get("severity", {}).items():
        if level not in ("error", "warning", "off"):
            raise ConfigError(f"{source}: severity of {rule} must be error, warning or off")
        cfg.severity[rule] = level
    return cfg
