"""The registry of module-level memos: every one is listed with its limit, and one call empties them."""

from __future__ import annotations

import importlib

import sympy as sp

from mathlint.runtime import memo

#: the modules that hold module-level memos, and the memos each registers
EXPECTED = {
    "mathlint.expr.walk": {"free-symbols": 200_000, "plain-free-symbols": None, "subexpressions": 2_000},
    "mathlint.cache.store": {"code-version": 1, "srepr": 20_000},
    "mathlint.cache.codec": {"codec-leaf-encoders": 1, "codec-applied-undef": 1, "codec-functions": 4096,
                             "codec-singletons": 1, "codec-allowed-classes": 1, "codec-takes-evaluate": 1},
    "mathlint.latex.parse": {"grammar-converter": 1, "parsed-sides": 4096, "rebuilt-subtrees": 50_000},
    "mathlint.latex.texscan": {"group-ends": 64, "depth-maps": 1024},
    "mathlint.sources.markdown": {"markdown-parser": 1, "markdown-tokens": 8},
    "mathlint.sources.formats": {"input-sources": None},
    "mathlint.sources.notebook": {"notebook-cells": 8},
    "mathlint.numeric.codegen": {"codegen-namespaces": 2},
    "mathlint.numeric.sample": {"compiled-functions": 64},
    "mathlint.numeric.instantiate": {"instance-values": 50_000, "instance-symbols": 200_000},
    "mathlint.proof.rational": {"rational-differences": 64, "polynomial-rings": None},
    "mathlint.proof.sharing": {"canonical-ids": 500_000, "proved-keys": 500_000},
    "mathlint.check.claim": {"mentions": 512},
    "mathlint.check.relation": {"preparations": 4},
    "mathlint.derivations.framework": {"anchor-ratios": 4096, "code-ratios": 4096},
}


def _listed() -> dict[str, memo.MemoInfo]:
    for module in EXPECTED:
        importlib.import_module(module)
    return {m.name: m for m in memo.memos()}


def test_every_module_level_memo_is_listed_with_its_limit():
    listed = _listed()
    for names in EXPECTED.values():
        for name, limit in names.items():
            assert name in listed, name
            assert listed[name].limit == limit, name


def test_clear_all_empties_what_a_check_filled():
    from mathlint.options import CheckOptions
    from mathlint.pipeline.engine import check_text

    _listed()
    x = sp.Symbol("x")
    from mathlint.expr.walk import free_symbols
    from mathlint.latex.parse import parse_side

    free_symbols(x + 1)
    parse_side("x + 1")
    check_text("$$\\frac{d}{dx} x^2 = 2x$$\n", CheckOptions(jobs=1, prove=True))
    sizes = {m.name: m.size for m in memo.memos()}
    assert sizes["free-symbols"] > 0 and sizes["parsed-sides"] > 0 and sizes["markdown-tokens"] > 0
    memo.clear_all()
    assert all(m.size == 0 for m in memo.memos()), {m.name: m.size for m in memo.memos() if m.size}


def test_a_per_instance_memo_is_not_registered():
    before = [m.name for m in memo.memos()]
    memo.ByIdentity(4)
    assert [m.name for m in memo.memos()] == before


def test_clearing_does_not_run_set_up_again():
    """Run-once set-up (freezing the collector's objects, warming imports) is not a memo:
    ``clear_all`` leaves it done, so a long-lived caller does not freeze its results."""
    import gc

    from mathlint.app.runner import fewer_collections

    fewer_collections()
    frozen = gc.get_freeze_count()
    memo.clear_all()
    fewer_collections()
    assert gc.get_freeze_count() == frozen
    assert "fewer-collections" not in {m.name for m in memo.memos()}
