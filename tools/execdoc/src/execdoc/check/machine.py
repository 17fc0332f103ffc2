"""Machines: the fingerprint a record carries, and profiles that emulate others.

A number a snippet prints depends on the computer as well as on the code:
torch picks a CPU kernel by instruction set, MKL and oneDNN pick theirs, and
OpenBLAS (behind NumPy) picks one per CPU core type. Each of these choices
can be forced through an environment variable, so one computer can take the
numeric paths another would take. A **profile** is such a set of choices;
``execdoc check --profile NAME`` runs the kernels under it, and calibration
runs every profile to measure how far each number moves between machines.

The **fingerprint** is gathered inside the kernel after the snippet ran (so
torch is described only when the snippet imported it) and stored in the
record; ``check`` names the fields where the checking machine differs.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from functools import lru_cache

from .. import ExecdocError

# The variables that steer numeric paths; the fingerprint reports them as set.
KNOBS = ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE",
         "MKL_ENABLE_INSTRUCTIONS", "OMP_NUM_THREADS")


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    env: dict[str, str] = field(default_factory=dict)
    threads: int | None = None  # None: the snippet's own setting
    needs: tuple[str, ...] = ()  # CPU flags (from /proc/cpuinfo) the profile requires
    arch: tuple[str, ...] = ()  # machine architectures it applies to; () means any


PROFILES = {p.name: p for p in (
    Profile("native", "this machine as it is: nothing forced"),
    Profile("avx2",
            "an AVX2 machine (most laptops and CI runners): torch, MKL, oneDNN and OpenBLAS on their AVX2 paths",
            {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2",
             "OPENBLAS_CORETYPE": "Haswell"},
            needs=("avx2", "fma"), arch=("x86_64", "AMD64")),
    Profile("avx512", "an AVX-512 server (Intel Xeon, AMD Zen 4 and later): every library on its AVX-512 path",
            {"ATEN_CPU_CAPABILITY": "avx512", "MKL_CBWR": "AVX512", "ONEDNN_MAX_CPU_ISA": "AVX512_CORE",
             "OPENBLAS_CORETYPE": "SkylakeX"},
            needs=("avx512f", "avx512bw", "avx512vl", "avx512dq"), arch=("x86_64", "AMD64")),
    Profile("baseline", "a machine without vector extensions beyond SSE: every library on its generic path",
            {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE", "ONEDNN_MAX_CPU_ISA": "SSE41",
             "OPENBLAS_CORETYPE": "Prescott"},
            arch=("x86_64", "AMD64")),
    Profile("threads2", "this machine with two threads for OpenMP, MKL and OpenBLAS", threads=2),
)}


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def unavailable(profile: Profile) -> str | None:
    """Why ``profile`` cannot run on this machine, or None when it can."""
    if profile.arch and platform.machine() not in profile.arch:
        return f"it emulates an x86-64 machine and this one is {platform.machine()}"
    missing = [flag for flag in profile.needs if flag not in cpu_flags()]
    if missing:
        return f"this CPU lacks {', '.join(missing)}"
    return None


def resolve(names: list[str] | str | None, configured: tuple[str, ...] = tuple(PROFILES)
            ) -> tuple[list[Profile], list[str]]:
    """Profiles to run for ``--profile`` (a name, a comma list, or ``all``: the
    configured ones), and a sentence per profile skipped because this machine
    cannot run it."""
    if not names:
        return [PROFILES["native"]], []
    wanted = names.split(",") if isinstance(names, str) else list(names)
    if wanted == ["all"]:
        wanted = list(configured)
    unknown = [n for n in wanted if n not in PROFILES]
    if unknown:
        raise ExecdocError(f"unknown profile(s) {', '.join(unknown)} (known: {', '.join(PROFILES)}, all)")
    chosen, skipped = [], []
    for name in wanted:
        why = unavailable(PROFILES[name])
        if why is None:
            chosen.append(PROFILES[name])
        elif len(wanted) == 1:
            raise ExecdocError(f"profile '{name}' cannot run here: {why}")
        else:
            skipped.append(f"profile '{name}' skipped: {why}")
    return chosen, skipped


def kernel_env(profile: Profile, threads: int) -> dict[str, str]:
    """What a profile adds to a kernel's environment."""
    env = dict(profile.env)
    count = str(profile.threads or threads)
    env.update({"OMP_NUM_THREADS": count, "MKL_NUM_THREADS": count, "OPENBLAS_NUM_THREADS": count,
                "NUMEXPR_NUM_THREADS": count, "EXECDOC_PROFILE": profile.name})
    return env


# Run in the kernel after the snippet (in a namespace of its own), not shown:
# prints the fingerprint as JSON.
FINGERPRINT = r"""
import json, os, platform, sys
cpu = platform.processor() or platform.machine()
try:
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith(("model name", "Hardware", "cpu model")):
                cpu = line.split(":", 1)[1].strip()
                break
except OSError:
    pass
info = {"os": platform.system(), "arch": platform.machine(), "cpu": cpu,
        "python": platform.python_version(), "profile": os.environ.get("EXECDOC_PROFILE", "native"),
        "env": {k: os.environ[k] for k in %(knobs)r if k in os.environ}}
numpy = sys.modules.get("numpy")
if numpy is not None:
    info["numpy"] = numpy.__version__
torch = sys.modules.get("torch")
if torch is not None:
    t = {"version": torch.__version__, "threads": torch.get_num_threads(),
         "cpu_capability": torch.backends.cpu.get_cpu_capability(),
         "mkl": torch.backends.mkl.is_available(), "mkldnn": torch.backends.mkldnn.is_available(),
         "cuda": torch.version.cuda, "gpu": None}
    if torch.cuda.is_available():
        t["gpu"] = torch.cuda.get_device_name(0)
    info["torch"] = t
try:
    import threadpoolctl
    info["blas"] = sorted({(p.get("internal_api"), p.get("version"), p.get("architecture"))
                           for p in threadpoolctl.threadpool_info() if p.get("user_api") == "blas"},
                          key=str)
except Exception:
    pass
print(json.dumps(info, sort_keys=True, default=str))
""" % {"knobs": KNOBS}


def _flatten(info: dict, prefix: str = "") -> dict[str, object]:
    flat = {}
    for key, value in info.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


# Python's patch release changes no numeric path worth naming.
IGNORED = {"python"}


def differences(recorded: dict | None, fresh: dict | None) -> list[str]:
    """``field: recorded → fresh`` for each fingerprint field that differs."""
    if not recorded or not fresh:
        return [] if recorded == fresh else ["the record has no fingerprint"]
    a, b = _flatten(recorded), _flatten(fresh)
    out = []
    for key in sorted(set(a) | set(b)):
        if key in IGNORED or a.get(key) == b.get(key):
            continue
        out.append(f"{key}: {a.get(key, '-')} → {b.get(key, '-')}")
    return out


def summary(fingerprint: dict | None) -> str:
    """One line naming the machine, for reports."""
    if not fingerprint:
        return "unknown machine"
    torch = fingerprint.get("torch") or {}
    parts = [fingerprint.get("cpu", "?"), fingerprint.get("arch", "?"), fingerprint.get("os", "?")]
    if torch:
        parts.append(f"torch {torch.get('version')} {torch.get('cpu_capability')}")
    blas = fingerprint.get("blas") or []
    parts += [f"{api} {arch}" for api, _version, arch in blas]
    parts.append(f"profile {fingerprint.get('profile', 'native')}")
    return ", ".join(str(p) for p in parts)
