"""Judges of whether a passage supports a sentence: the product's verifier, its former judge and two LLMs.

``JUDGES`` names them; ``build_judge(name, settings)`` makes one. The LLM judges are
independent of the product's verification, so the eval can grade the verifier against them.
"""

from __future__ import annotations

from collections.abc import Callable

from eval.judges.base import Judge, Judgement
from rag.settings import Settings


def _verifier(settings: Settings) -> Judge:
    from eval.judges.verifier import VerifierJudge
    from rag.embeddings import get_sentence_embeddings

    return VerifierJudge(get_sentence_embeddings(settings))


def _old(settings: Settings) -> Judge:
    from eval.judges.old_judge import OldJudge
    from rag.embeddings import get_sentence_embeddings

    return OldJudge(get_sentence_embeddings(settings))


def _openai(settings: Settings) -> Judge:
    from eval.judges.openai_judge import OpenAIJudge

    return OpenAIJudge(settings)


def _local(settings: Settings) -> Judge:
    from eval.judges.local_judge import LocalModelJudge

    return LocalModelJudge(settings)


JUDGES: dict[str, Callable[[Settings], Judge]] = {
    "verifier": _verifier,
    "old": _old,
    "openai": _openai,
    "local": _local,
}
# The judge the product verifies its answers with; the answer eval's faithfulness is its.
PRODUCT_JUDGE = "verifier"
# Judges that are not the product's own verification (its old judge shares its approach, so it is not one).
INDEPENDENT_JUDGES = ("openai", "local")


def build_judge(name: str, settings: Settings) -> Judge:
    """The judge called ``name``; ``ValueError`` listing the choices for an unknown name."""
    if name not in JUDGES:
        raise ValueError(f"unknown judge {name!r}; choose from {', '.join(JUDGES)}")
    return JUDGES[name](settings)


__all__ = ["INDEPENDENT_JUDGES", "JUDGES", "PRODUCT_JUDGE", "Judge", "Judgement", "build_judge"]
