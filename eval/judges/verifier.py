"""The product's verifier (``rag.verification.Verifier``) as a judge, so the eval grades it like any other."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from eval.judges.base import Judgement


class VerifierJudge:
    """Passes each pair, with its document and article, to the verifier the answers use."""

    name = "verifier"

    def __init__(self, embeddings: Embeddings) -> None:
        from rag.verification import Verifier

        self._verifier = Verifier(embeddings)

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        verification = self._verifier.verify(sentence, passage_text, doc_id=doc, article=article)
        verdict = getattr(verification.verdict, "value", verification.verdict)
        return Judgement(str(verdict), verification.reason or "", verification.score)
