"""The layers of DESIGN.md hold: import-linter's contracts (pyproject.toml) are kept, and every
part of the package belongs to a layer, so that nothing new escapes them."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pubhub

ROOT = Path(__file__).resolve().parents[1]


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_top_level_module_is_in_a_layer():
    layers = next(c for c in _config()["contracts"] if c["type"] == "layers")["layers"]
    named = {part.strip().strip("()").removeprefix("pubhub.") for layer in layers for part in layer.replace("|", ":").split(":")}
    modules = {info.name for info in pkgutil.iter_modules(pubhub.__path__)}
    assert modules - named == set(), "modules outside every layer: add them to [tool.importlinter] in pyproject.toml"


def test_the_contracts_cover_cycles_and_sql():
    kinds = {c["type"] for c in _config()["contracts"]}
    assert {"layers", "acyclic_siblings", "forbidden"} <= kinds
