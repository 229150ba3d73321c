"""``POST /v1/search``: the hybrid search, passages with their scores and why each was found."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from rag.api.auth import require_reader
from rag.api.schemas import ERROR_RESPONSES, SearchHit, SearchRequest, SearchResponse
from rag.engine import Engine
from rag.retrieval import SearchFilters
from rag.types import ScoredPassage

router = APIRouter(prefix="/v1", tags=["search"], dependencies=[Depends(require_reader)])


@router.post("/search", response_model=SearchResponse, responses=ERROR_RESPONSES)
def search(body: SearchRequest, request: Request) -> SearchResponse:
    """The ``k`` best passages for the query, then the passages they cite (``supporting``)."""
    engine: Engine = request.app.state.engine
    filters = SearchFilters(
        tuple(body.documents), tuple(c.upper() for c in body.chapters), tuple(str(a) for a in body.articles)
    )
    results = engine.search(body.query, body.k, filters)
    return SearchResponse(query=body.query, results=[hit(result) for result in results])


def hit(result: ScoredPassage) -> SearchHit:
    p = result.passage
    return SearchHit(
        id=p.id,
        doc=p.doc_id,
        title=p.doc_title,
        label=p.label,
        article=p.article,
        chapter=p.chapter,
        paragraphs=list(p.paragraphs),
        start=p.start,
        end=p.end,
        score=round(result.score, 6),
        supporting=result.supporting,
        reasons=list(result.reasons),
        text=p.text,
    )
