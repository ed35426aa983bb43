"""Splitting spans into relation chains, conditions and separate statements."""

from mathlint.latex.split import split_statements


def chains(latex, line_of=lambda off: 1):
    _, sts = split_statements(latex, line_of)
    return [([s.latex for s in st.sides], st.relations,
             [([s.latex for s in c.sides], c.relations) for c in st.conditions]) for st in sts]


def test_chain_over_rows_is_one_statement():
    assert chains(r"a=b\\=c\\=d") == [(["a", "b", "c", "d"], ["eq", "eq", "eq"], [])]


def test_aligned_rows():
    got = chains("\\begin{aligned} f &= g \\\\ &\\le h \\end{aligned}")
    assert got == [(["f", "g", "h"], ["eq", "le"], [])]


def test_dangling_relation_continues_on_next_row():
    assert chains(r"a = \\ b + c") == [(["a", "b + c"], ["eq"], [])]


def test_rows_without_leading_relation_are_new_statements():
    assert chains(r"a = b \\ c = d") == [(["a", "b"], ["eq"], []), (["c", "d"], ["eq"], [])]


def test_quad_condition():
    assert chains(r"\frac{\partial p_j}{\partial o_i} = -p_i p_j,\quad i \neq j.") == [
        ([r"\frac{\partial p_j}{\partial o_i}", "-p_i p_j"], ["eq"], [(["i", "j"], ["ne"])])]


def test_hspace_separates_equations():
    got = chains(r"p_k = \frac{1}{2} \hspace{1in} L_i =-\log\left(p_{y_i}\right)")
    assert [g[0][0] for g in got] == ["p_k", "L_i"]


def test_comma_separated_relations():
    got = chains(r"x_i\in R^n,y_i\in \{0,1\}")
    assert got == [(["x_i", "R^n"], ["in"], []), (["y_i", r"\{0,1\}"], ["in"], [])]


def test_relations_inside_groups_are_not_split():
    got = chains(r"\sum_{i=1}^{N} P(Y=1|x_i) = \mathbb{1}(y_i = k)")
    assert got[0][1] == ["eq"] and len(got[0][0]) == 2


def test_relation_names():
    got = chains(r"a := b \neq c \leq d \ge e \approx f \in g \equiv h < i > j")
    assert got[0][1] == ["def", "ne", "le", "ge", "approx", "in", "equiv", "lt", "gt"]


def test_commands_starting_like_relations_are_not_relations():
    assert chains(r"\int_0^1 x + \infty + \left( a \right) + \newcommand")[0][1] == []


def test_rows_keep_their_source_lines():
    latex = "\na = b \\\\\n= c \\\\\nd = e\n"
    _, sts = split_statements(latex, lambda off: 10 + latex.count("\n", 0, off))
    assert [st.line for st in sts] == [11, 13]
    assert [s.line for s in sts[0].sides] == [11, 11, 12]
