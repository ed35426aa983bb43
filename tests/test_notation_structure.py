"""Family S of issue 17: prose inside math, chains over lines, matrices and cases, implications."""

import sympy as sp

from mathlint.latex.parse import parse_side
from mathlint.latex.split import split_statements
from mathlint.pipeline.engine import check_text

x, y, a, b, c, d, p, sigma = sp.symbols("x y a b c d p sigma")


def chains(latex):
    _, sts = split_statements(latex, lambda _o: 1)
    return [([s.latex for s in st.sides], st.relations, [[s.latex for s in cnd.sides] for cnd in st.conditions])
            for st in sts]


def verdicts(text):
    return [(c.latex, str(c.verdict)) for c in check_text(text).claims]


def read(latex):
    _, sts = split_statements(latex, lambda _o: 1)
    return [[parse_side(s.latex) for s in st.sides] for st in sts]


# --- prose words between statements ---------------------------------------

def test_and_hence_separates_statements():
    got = chains(r"a = b + c \textrm{ and hence } a - b = c")
    assert got == [(["a", "b + c"], ["eq"], []), (["a - b", "c"], ["eq"], [])]


def test_where_with_for_all_introduce_conditions():
    assert chains(r"H = - \sum_{i} p_i \ln p_i \textrm{, where } p_i = q_i")[0][2] == [["p_i", "q_i"]]
    assert chains(r"f = x^2 \mbox{ with } x > 0")[0][2] == [["x", "0"]]
    assert chains(r"\frac{d}{dx} x^n = n x^{n-1} \textrm{for } n \neq 0")[0][2] == [["n", "0"]]
    assert chains(r"\frac{d}{dx} C = 0 \textrm{for any constant $C$}") == [([r"\frac{d}{dx} C", "0"], ["eq"], [])]


def test_a_row_of_conditions_belongs_to_the_statement_before():
    got = chains(r"V(s) = r(s) + V(s);\ \textrm{for all } s \in \mathcal{S}.")
    assert got == [(["V(s)", "r(s) + V(s)"], ["eq"], [["s", r"\mathcal{S}"]])]


def test_a_trailing_label_is_prose():
    got = chains(r"\frac{d}{dx} [f(x) + g(x)] = \frac{d}{dx} f(x) + \frac{d}{dx} g(x) \textrm{Sum rule}")
    assert got[0][0][-1] == r"\frac{d}{dx} f(x) + \frac{d}{dx} g(x)"


def test_a_name_in_text_is_not_prose():
    assert chains(r"y = \textrm{and}(a, b)")[0][0] == ["y", r"\textrm{and}(a, b)"]


# --- implications and limits -----------------------------------------------

def test_implies_separates_statements():
    got = chains(r"a = b + c \implies a - b = c \iff c = a - b")
    assert [g[0] for g in got] == [["a", "b + c"], ["a - b", "c"], ["c", "a - b"]]


def test_a_row_starting_with_implies_is_a_new_statement():
    got = chains(r"u = v + w \\ \implies u - w = v")
    assert [g[0] for g in got] == [["u", "v + w"], ["u - w", "v"]]


def test_tends_to_is_a_limit_statement_not_checked():
    assert chains(r"\mu = np \rightarrow \infty")[0][1] == ["eq", "to"]
    assert chains(r"\lim_{n \to \infty} a_n = 0")[0][1] == ["eq"]  # inside the limit's subscript
    got = dict(verdicts("$$y = n p \\rightarrow \\infty$$\n"))
    assert got["n p \\to \\infty"] == "unchecked"


# --- chains over lines -------------------------------------------------------

def test_a_row_without_relation_starts_a_chain():
    got = chains(r"\begin{aligned} &g(a + b)\\ =&g(b + a)\\ \leq& 2 g(a + b) \end{aligned}")
    assert got == [(["g(a + b)", "g(b + a)", "2 g(a + b)"], ["eq", "le"], [])]


def test_a_row_starting_with_an_operator_goes_on_with_the_side():
    got = chains(r"\begin{aligned} L & = a + b \\ & \quad + c \\ & \approx a + b + c \end{aligned}")
    assert got == [(["L", r"a + b + c", "a + b + c"], ["eq", "approx"], [])]


def test_a_row_ending_with_an_operator_is_continued():
    assert chains(r"L = a + \\ b")[0][0] == ["L", "a + b"]


def test_a_row_starting_with_minus_and_a_relation_is_its_own_statement():
    assert [g[0] for g in chains(r"a = b \\ -c = d")] == [["a", "b"], ["-c", "d"]]


def test_a_row_break_inside_brackets_continues_the_text():
    assert chains(r"f = 2 \left( a + \right.\\ \left. b \right)")[0][0] == ["f", "2 ( a + b )"]


def test_comma_after_a_trailing_ellipsis_is_punctuation():
    assert read(r"1 + \gamma + \ldots, = \frac{1}{1-\gamma}")[0][1] == 1 / (1 - sp.Symbol("gamma"))


# --- matrices ------------------------------------------------------------------

def test_bmatrix_is_a_matrix_and_its_rows_are_not_split():
    got = read("\\mathbf{A} = \\begin{bmatrix}\n2 & 0 \\\\\n0 & -1\n\\end{bmatrix}.")
    assert len(got) == 1 and got[0][1] == sp.ImmutableMatrix([[2, 0], [0, -1]])


def test_pmatrix_times_a_vector_and_a_transpose():
    got = read(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}\begin{pmatrix} x \\ y \end{pmatrix}"
               r" = \begin{pmatrix} x & y \end{pmatrix}^\top")
    assert got[0][0] == sp.ImmutableMatrix([[a * x + b * y], [c * x + d * y]])
    assert got[0][1] == sp.ImmutableMatrix([[x], [y]])


def test_vmatrix_is_a_determinant():
    assert read(r"\begin{vmatrix} a & b \\ c & d \end{vmatrix} = ad - bc")[0][0] == a * d - b * c


def test_a_matrix_with_dots_is_opaque():
    got = read(r"\mathbf{A} = \begin{bmatrix} a_{1} & \cdots & a_{n} \\ \vdots & \ddots & \vdots \end{bmatrix}")
    assert got[0][1].func.__name__ == "matrix_pattern"


def test_matrix_claims():
    text = ("$$\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}\\begin{bmatrix} 1 \\\\ 0 \\end{bmatrix}"
            " = \\begin{bmatrix} a \\\\ c \\end{bmatrix}$$\n\n"
            "$$\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix} = ad - bc$$\n")
    assert [v for _, v in verdicts(text)] == ["proved", "proved"]


def test_matrix_mutants_are_never_proved():
    for wrong in (r"\begin{bmatrix} a \\ -c \end{bmatrix}", r"\begin{bmatrix} b \\ d \end{bmatrix}",
                  r"\begin{bmatrix} a & c \end{bmatrix}", r"\begin{bmatrix} 2a \\ c \end{bmatrix}"):
        text = ("$$\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}\\begin{bmatrix} 1 \\\\ 0 \\end{bmatrix}"
                f" = {wrong}$$\n")
        assert [v for _, v in verdicts(text)] != ["proved"], wrong
    assert [v for _, v in verdicts("$$\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix} = ad + bc$$\n")] == ["refuted"]
    assert [v for _, v in verdicts("$$\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix} = ad - cd$$\n")] == ["refuted"]


# --- cases -------------------------------------------------------------------

def test_cases_is_piecewise():
    got = read(r"F(x) = \begin{cases} 0 & x < 0, \\ 1-p & 0 \le x < 1, \\ 1 & x >= 1 . \end{cases}")
    assert len(got) == 1
    f = got[0][1]
    assert isinstance(f, sp.Piecewise)
    assert [f.subs(x, v) for v in (-1, sp.Rational(1, 2), 2)] == [0, 1 - p, 1]


def test_cases_with_if_and_otherwise():
    f = read(r"l = \begin{cases} |x| - \frac{\sigma}{2} & \textrm{ if } |x| > \sigma \\"
             r" \frac{x^2}{2 \sigma} & \textrm{otherwise} \end{cases}")[0][1]
    assert f == sp.Piecewise((sp.Abs(x) - sigma / 2, sp.Abs(x) > sigma), (x**2 / (2 * sigma), True))


def test_cases_with_prose_conditions_are_opaque():
    f = read(r"w = \begin{cases} a & \textrm{ with probability } \frac{1}{4} \\ b & \textrm{ else} \end{cases}")[0][1]
    assert f.func.__name__ == "cases"


def test_cases_claims_hold_and_mutants_do_not():
    base = "$$f(x) = \\begin{cases} x^2 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}$$\n\n"
    assert verdicts(base + "$$f(3) = 9$$\n")[-1][1] == "proved"
    assert verdicts(base + "$$f(3) = 6$$\n")[-1][1] == "refuted"
    flipped = base.replace("x > 0", "x < 0")  # the condition's sign
    assert verdicts(flipped + "$$f(3) = 9$$\n")[-1][1] == "refuted"


# --- sums ----------------------------------------------------------------------

def test_braced_sum_and_sum_without_upper_bound():
    j = sp.Symbol("j")
    first = parse_side(r"\frac{\exp(a_i)}{{\sum_{j}} \exp(a_j)}")
    second = parse_side(r"\frac{\exp(a_i)}{\sum_{j=1} \exp(a_j)}")
    assert first == second
    assert second.atoms(sp.Sum).pop().limits[0][:2] == (j, 1)


# --- claims the new splits expose ---------------------------------------------

def test_statements_after_there_exist_such_that_are_hypotheses():
    text = ("There exist $\\alpha$ and $\\beta$ such that\n\n"
            "$$g(\\alpha) = \\alpha + 1 \\textrm{ and } g(\\beta) = 2 \\beta$$\n")
    assert [c.role for c in check_text(text).claims] == ["hypothesis", "hypothesis"]


def test_a_power_head_of_colon_equals_is_a_definition_not_a_claim():
    text = ("$$\\hat{\\mu} := \\frac{1}{n} \\sum_{i=1}^n x_i \\textrm{ and } "
            "\\sigma^2 := \\frac{1}{n} \\sum_{i=1}^n x_i^2$$\n")
    assert [str(c.verdict) for c in check_text(text).claims] == ["unchecked", "unchecked"]


def test_a_normalization_of_a_function_by_itself_is_an_assignment():
    text = ("To make them sum to one we normalize them via\n\n"
            "$$\\alpha(q, k_i) = \\frac{\\alpha(q, k_i)}{{\\sum_j} \\alpha(q, k_j)}.$$\n")
    assert [c.role for c in check_text(text).claims] == ["assignment"]
