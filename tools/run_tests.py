"""The stages of `make test`, in order, with a timing summary at the end.

1. library tests        pytest tests/ (everything but the browser checks)
2. notebooks            pytest --nbval-lax over every English chapter notebook
3. book build           warnings are errors (-W --keep-going), on a fresh _build
4. browser checks       Playwright + Debian's Chromium (and Noto fonts for Persian and Korean)
                        against _build/html

The run stops at the first failing stage. Budgets are printed, not asserted
(DESIGN.md section 7b): a slow machine must still pass.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import book  # noqa: E402

PY = sys.executable
CHROMIUM = Path("/usr/bin/chromium")
# Debian packages the browser checks need, each with a file that shows it is installed:
# the browser, and the faces that draw Persian (Noto Sans/Naskh Arabic) and Hangul (Noto CJK).
BROWSER_PACKAGES = {
    "chromium": CHROMIUM,
    "fonts-noto-core": Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
    "fonts-noto-cjk": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
}
BUDGET_MINUTES = 45
# pytest-xdist workers per test stage: the machine's cores, at most 2 (the CI machine's);
# SPARSELIB_TEST_WORKERS=1 runs every stage in one process.
WORKERS = int(os.environ.get("SPARSELIB_TEST_WORKERS", min(2, os.cpu_count() or 1)))


def ensure_chromium() -> list[str]:
    """Install what the browser checks need when it is missing (needs root, as on CI)."""
    missing = [name for name, marker in BROWSER_PACKAGES.items() if not marker.exists()]
    if not missing:
        return ["true"]
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    return ["bash", "-c", f"{' '.join(sudo)} apt-get update -q && "
            f"{' '.join(sudo)} env DEBIAN_FRONTEND=noninteractive apt-get install -y -q {' '.join(missing)}"]


def stages() -> list[tuple[str, list[str]]]:
    notebooks = [str(p.relative_to(ROOT)) for p in book.chapter_notebooks("en")]
    # Chapters run with book.notebook_environment(), as in the book build.
    nbval = ("import sys, pytest; sys.path.insert(0, 'tools'); import book; "
             "book.notebook_environment(); sys.exit(pytest.main(sys.argv[1:]))")
    # Two pytest-xdist workers on the two cores of CI, each with one torch thread (set in the
    # tests and by book.notebook_environment()): the library keeps each test file in one
    # worker (files share trained models through module fixtures), nbval keeps each
    # notebook's cells in order in one worker, and the browser checks spread test by test,
    # except that the checks sharing one load of a page run on one worker (xdist_group).
    def workers(dist: str) -> list[str]:
        return ["-n", str(WORKERS), "--dist", dist] if WORKERS > 1 else []
    slowest = ["--durations=15"]
    return [
        ("library tests", [PY, "-m", "pytest", "-q", "tests", "--ignore=tests/browser",
                           *workers("loadfile"), *slowest]),
        ("notebooks (nbval)", [PY, "-c", nbval, "-q", "--nbval-lax", "--nbval-current-env",
                               "-p", "no:cacheprovider", *workers("loadscope"), *notebooks]),
        ("book build (strict, fresh)", [PY, "tools/book.py", "build", "--strict", "--fresh"]),
        ("chromium", ensure_chromium()),
        ("browser checks", [PY, "-m", "pytest", "-q", "tests/browser", "-p", "no:cacheprovider",
                            *workers("loadgroup"), *slowest]),
    ]


def main() -> int:
    os.environ.setdefault("SPARSELIB_OFFLINE", "1")
    results: list[tuple[str, float, str]] = []
    code = 0
    for name, command in stages():
        print(f"\n=== {name}: {' '.join(command)}", flush=True)
        start = time.perf_counter()
        code = subprocess.run(command, cwd=ROOT).returncode
        results.append((name, time.perf_counter() - start, "ok" if code == 0 else f"FAILED ({code})"))
        if code != 0:
            break
    total = sum(seconds for _, seconds, _ in results)
    width = max(len(name) for name, _ in stages())
    print("\n=== make test: time per stage")
    for name, seconds, status in results:
        print(f"  {name:<{width}}  {seconds:7.1f} s  {status}")
    print(f"  {'total':<{width}}  {total:7.1f} s  (budget {BUDGET_MINUTES} min, not asserted)")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as f:
            f.writelines(f"- {n}: {s:.1f} s {st}\n" for n, s, st in results)
    return code


if __name__ == "__main__":
    sys.exit(main())
