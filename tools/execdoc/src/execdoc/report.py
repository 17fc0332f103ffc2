"""The report every build, check, calibrate and approve writes, and how it speaks.

``build/exec-report.json`` (and, for ``check``, ``build/check/report.json``)
holds one entry per snippet and profile: status, seconds, key, the error's
text and where the checking machine differs from the record's. It is
written however the work ends: done, failed, stopped or interrupted.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import ExecdocError
from .config import Config
from .files import write_atomic


@dataclass
class Entry:
    name: str
    status: str  # "executed" | "reused" | "failed"
    seconds: float = 0.0
    key: str | None = None
    error: str | None = None
    profile: str = "native"
    machine: list[str] = field(default_factory=list)  # where this machine differs from the record's


@dataclass
class Report:
    command: str
    snippets: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # skipped profiles, calibration warnings

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.snippets)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    def summary(self) -> str:
        return f"{self.count('executed')} executed, {self.count('reused')} reused, {self.count('failed')} failed"

    def write(self, config: Config, *also: Path) -> None:
        data = {"command": self.command, "summary": self.summary(), "notes": self.notes,
                "snippets": [asdict(e) for e in sorted(self.snippets, key=lambda e: (e.name, e.profile))]}
        for target in (config.report, *also):
            write_atomic(target, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def say(message: str) -> None:
    print(f"execdoc: {message}", file=sys.stderr, flush=True)



@contextmanager
def reporting(config: Config, report: Report, *also: Path):
    """Write the report however the work ends: done, failed, stopped or interrupted."""
    try:
        yield
    except KeyboardInterrupt:
        report.notes.append("interrupted: snippets not listed did not finish")
        raise
    except ExecdocError as exc:
        report.notes.append(f"stopped: {exc}")
        raise
    finally:
        report.write(config, *also)
