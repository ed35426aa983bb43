"""Mutation test of the softmax post: single edits of its correct equations are caught at their line."""

from conftest import EXAMPLE, FIGURES, SHARED_POST

from mathlint.derivations import REGISTRY
from mathlint.dev.mutate import run
from mathlint.sources.files import read_source


def test_mutants_of_the_correct_equations_are_refuted_at_their_line():
    path = SHARED_POST if SHARED_POST.exists() else EXAMPLE
    report = run(read_source(path), REGISTRY["softmax"], jobs=2)
    FIGURES.append(f"mutation ({path.name}): {report['detected']}/{report['mutants']} mutants refuted at their "
                   f"line = {report['rate']:.1%} (goal 100%, floor 99%); operators {report['by_operator']}")
    for m in report["missed"]:
        FIGURES.append(f"  missed line {m['line']} ({m['kind']}): {m['latex'][:90]}")
    assert report["mutants"] >= 200
    assert set(report["by_operator"]) >= {"sign", "symbol", "subscript", "exponent", "function", "bound"}
    assert report["rate"] >= 0.99, report["missed"]
