"""``/v1/documents``: list, read a span of the source text, upload (same checks as the app) and delete."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile

from rag.api.auth import require_reader, require_writer
from rag.api.errors import ApiError
from rag.api.schemas import ERROR_RESPONSES, DeletedOut, DocumentList, DocumentOut, DocumentTextOut, UploadOut
from rag.engine import Engine
from rag.errors import UnknownDocumentError
from rag.uploads import UploadProblem, add_upload, discard_saved_upload, uploads_root

router = APIRouter(prefix="/v1/documents", tags=["documents"], dependencies=[Depends(require_reader)])

# The folder, under the store's uploads, that API uploads are saved to (a file uploaded again replaces it).
API_UPLOAD_FOLDER = "api"
UPLOAD_STATUS: dict[UploadProblem, int] = {
    "name": 400,
    "too_large": 413,
    "duplicate_id": 409,
    "unreadable": 422,
    "not_saved": 507,
}


@router.get("", response_model=DocumentList, responses=ERROR_RESPONSES)
def list_documents(request: Request) -> DocumentList:
    """The committed documents, by id."""
    engine: Engine = request.app.state.engine
    return DocumentList(
        documents=[
            DocumentOut(id=d.doc_id, title=d.title, passages=d.passages, file=Path(d.source_path).name)
            for d in engine.documents()
        ]
    )


@router.get("/{doc_id}/text", response_model=DocumentTextOut, responses=ERROR_RESPONSES)
def read_text(
    doc_id: str,
    request: Request,
    start: Annotated[int, Query(ge=0, description="First character (a citation's start).")] = 0,
    end: Annotated[int | None, Query(ge=0, description="End character, exclusive (default: the end).")] = None,
) -> DocumentTextOut:
    """The source text between two offsets: the same offsets as a citation's ``start`` and ``end``."""
    engine: Engine = request.app.state.engine
    text = engine.document_text(doc_id, start, end)
    return DocumentTextOut(
        id=text.doc_id,
        title=text.title,
        start=text.start,
        end=text.end,
        length=text.length,
        text=text.text,
        gaps=list(text.gaps),
    )


@router.post(
    "",
    response_model=UploadOut,
    status_code=201,
    dependencies=[Depends(require_writer)],
    responses={**ERROR_RESPONSES, 403: ERROR_RESPONSES[401] | {"description": "No RAG_API_TOKEN on the server"}},
)
def upload(request: Request, response: Response, file: Annotated[UploadFile, File()]) -> UploadOut:
    """Add a PDF, Word, text, HTML or Markdown file (multipart field ``file``); the same limits as the app."""
    engine: Engine = request.app.state.engine
    folder = uploads_root(engine.settings) / API_UPLOAD_FOLDER
    result = add_upload(engine, folder, file.filename or "", file.file.read())
    if not result.ok or result.status is None or result.doc_id is None:
        problem = result.problem or "unreadable"
        raise ApiError(UPLOAD_STATUS[problem], f"{result.name} was not added: {result.message}", code=problem)
    if result.status != "added":
        response.status_code = 200
    return UploadOut(
        id=result.doc_id, file=result.name, status=result.status, passages=result.passages, message=result.message
    )


@router.delete(
    "/{doc_id}",
    response_model=DeletedOut,
    dependencies=[Depends(require_writer)],
    responses={**ERROR_RESPONSES, 404: {"description": "No such document"}},
)
def delete(doc_id: str, request: Request) -> DeletedOut:
    """Remove a document from the store; the saved file too when it was an upload."""
    engine: Engine = request.app.state.engine
    entry = next((d for d in engine.documents() if d.doc_id == doc_id), None)
    if entry is None or not engine.remove(doc_id):
        raise UnknownDocumentError(doc_id)
    discard_saved_upload(engine.settings, entry.source_path)
    return DeletedOut(id=doc_id)
