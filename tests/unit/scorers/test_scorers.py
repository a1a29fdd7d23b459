"""Built-in scorers and the @scorer decorator."""

from __future__ import annotations

from assay.scorers import REGISTRY, Score, distance, exact_match, levenshtein, scorer


def test_exact_match_compares_text_with_options() -> None:
    strict = exact_match()
    assert strict(output=" Paris\n", expected="Paris") == 1.0
    assert strict(output="paris", expected="Paris") == 0.0
    assert exact_match(case_sensitive=False)(output="paris", expected="PARIS") == 1.0
    assert exact_match(strip=False)(output=" Paris", expected="Paris") == 0.0
    assert strict(output=42, expected="42") == 1.0
    assert strict(output={"a": 1}, expected={"a": 1}) == 1.0
    assert strict(output="x", expected=None) is None


def test_levenshtein_is_a_normalised_similarity() -> None:
    sim = levenshtein()
    assert sim(output="kitten", expected="kitten") == 1.0
    assert sim(output="", expected="") == 1.0
    assert abs(sim(output="kitten", expected="sitting") - (1 - 3 / 7)) < 1e-12
    assert sim(output="abc", expected="xyz") == 0.0
    assert sim(output="x", expected=None) is None
    assert distance("flaw", "lawn") == 2
    assert distance("", "abc") == 3


def test_builtins_are_named_after_their_factory() -> None:
    assert exact_match().name == "exact_match"  # type: ignore[attr-defined]
    assert levenshtein().name == "levenshtein"  # type: ignore[attr-defined]
    assert {"exact_match", "levenshtein"} <= set(REGISTRY)


def test_users_register_scorers_the_same_way() -> None:
    @scorer
    def mentions(word: str):  # type: ignore[no-untyped-def]
        def score(*, output: str, **_: object) -> float:
            return float(word in output)

        return score

    @scorer(name="shorter_than")
    def short(limit: int):  # type: ignore[no-untyped-def]
        return lambda *, output, **_: Score("", float(len(output) < limit))

    assert mentions("cat").name == "mentions"
    assert mentions("cat")(output="a cat") == 1.0
    assert short(3).name == "shorter_than"
    assert REGISTRY["mentions"] is mentions
