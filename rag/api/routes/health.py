"""``GET /healthz``: the process is up and its store can be read (for load balancers; no token needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from rag.api.schemas import Health
from rag.engine import Engine

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"description": "The store cannot be read"}})
def healthz(request: Request) -> Health:
    engine: Engine = request.app.state.engine
    documents = engine.documents()  # a StoreError becomes a 503
    return Health(documents=len(documents), passages=sum(d.passages for d in documents))
