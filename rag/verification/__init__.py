"""Claim verification: does a passage support a sentence, contradict it, or not say it?"""

from rag.verification.claim import strip_citations
from rag.verification.types import Verdict, Verification
from rag.verification.verifier import Verifier

__all__ = ["Verdict", "Verification", "Verifier", "strip_citations"]
