"""The product's verifier (``rag.verification.Verifier``) as a judge, so the eval grades it like any other."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from eval.judges.base import Judgement
from rag.errors import ModelUnavailableError


class VerifierJudge:
    """Passes each pair, with its document and article, to the verifier the answers use."""

    name = "verifier"

    def __init__(self, embeddings: Embeddings) -> None:
        try:
            from rag.verification import Verifier
        except ImportError as exc:
            raise ModelUnavailableError(
                "the product verifier (rag.verification) is not in this checkout; choose other judges with --judges"
            ) from exc
        self._verifier = Verifier(embeddings)

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        verification = self._verifier.verify(sentence, passage_text, doc_id=doc, article=article)
        verdict = getattr(verification.verdict, "value", verification.verdict)
        return Judgement(str(verdict), verification.reason or "", verification.score)
