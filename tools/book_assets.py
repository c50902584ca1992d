"""The browser assets of the offline book: pinned npm packages laid out in _assets/static/.

``python tools/book.py assets`` (the Makefile runs it before a build) installs
tools/assets/package-lock.json into _assets/ (git-ignored) and copies what the pages load
(MathJax, RequireJS, the widget manager) into _assets/static/; axe-core stays in
_assets/node_modules/ for the accessibility checks.
"""
from __future__ import annotations

import json
import shutil
import subprocess

from book_manifest import ROOT

ASSETS = ROOT / "_assets"

STATIC_COPIES = [
    # (from node_modules/, to _assets/static/)
    ("mathjax/es5/tex-chtml.js", "mathjax/tex-chtml.js"),
    # MathJax as components (tools/page_weight.py): the loader, the core, and the
    # components _config.yml's mathjax3_config loads from input/, output/ and a11y/.
    ("mathjax/es5/startup.js", "mathjax/startup.js"),
    ("mathjax/es5/core.js", "mathjax/core.js"),
    ("mathjax/es5/input", "mathjax/input"),
    ("mathjax/es5/output", "mathjax/output"),
    ("mathjax/es5/ui", "mathjax/ui"),
    ("mathjax/es5/a11y", "mathjax/a11y"),
    ("mathjax/es5/sre", "mathjax/sre"),
    ("requirejs/require.js", "require.js"),
    ("@jupyter-widgets/html-manager/dist", "widgets"),
]


def assets() -> None:
    """Install the pinned npm packages into _assets/ and lay out _assets/static/."""
    src = ROOT / "tools" / "assets"
    stamp = ASSETS / ".stamp"
    lock = (src / "package-lock.json").read_bytes()
    # The stamp records the lock file and the layout: a new entry of STATIC_COPIES lays
    # out _assets/static/ again without reinstalling unchanged packages.
    layout = lock + json.dumps(STATIC_COPIES).encode()
    if stamp.exists() and stamp.read_bytes() == layout and (ASSETS / "static").is_dir():
        print("npm assets up to date")
        return
    ASSETS.mkdir(exist_ok=True)
    installed = ASSETS / "package-lock.json"
    if not (installed.exists() and installed.read_bytes() == lock and (ASSETS / "node_modules").is_dir()):
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(src / name, ASSETS / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                       cwd=ASSETS, check=True)
    static = ASSETS / "static"
    shutil.rmtree(static, ignore_errors=True)
    modules = ASSETS / "node_modules"
    for frm, to in STATIC_COPIES:
        dst = static / to
        dst.parent.mkdir(parents=True, exist_ok=True)
        if (modules / frm).is_dir():
            shutil.copytree(modules / frm, dst, ignore=shutil.ignore_patterns("*.map", "embed.js", "libembed-amd.js"))
        else:
            shutil.copy2(modules / frm, dst)
    stamp.write_bytes(layout)
    print(f"npm assets ready in {static.relative_to(ROOT)}")
