"""Request and response bodies of the HTTP API (they are also its OpenAPI schema at /docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rag.api.errors import ApiError

# ----- chat completions (the OpenAI shape, with the product's fields beside it) -----


class ContentPart(BaseModel):
    """One part of a message's content; only text parts carry a question."""

    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str = Field(description="'user' messages are questions; 'system' and 'assistant' messages are not used.")
    content: str | list[ContentPart] | None = None

    @property
    def text(self) -> str:
        if self.content is None or isinstance(self.content, str):
            return self.content or ""
        if any(part.type != "text" for part in self.content):
            raise ApiError(400, "only text content is supported in messages", code="unsupported_content")
        return "\n".join(part.text or "" for part in self.content)


class ChatCompletionRequest(BaseModel):
    """An OpenAI chat request. Sampling fields (temperature, max_tokens, ...) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(description="The answer mode: one of the ids GET /v1/models lists, e.g. 'treatyqa-extractive'.")
    messages: list[ChatMessage] = Field(
        min_length=1, description="The last user message is the question; earlier user messages, the conversation."
    )
    stream: bool = Field(False, description="Server-sent events, ending with 'data: [DONE]'.")
    k: int | None = Field(None, description="Passages retrieved for the answer (default: the server's top_k).")
    documents: list[str] = Field(default_factory=list, description="Answer only from these document ids.")

    def question_and_history(self) -> tuple[str, list[str]]:
        """The last user message, and the user messages before it (oldest first)."""
        asked = [m.text for m in self.messages if m.role == "user"]
        if not asked:
            raise ApiError(
                400, "no user message: the last message with role 'user' is the question", code="no_question"
            )
        return asked[-1], asked[:-1]


class CitationOut(BaseModel):
    """``[n]`` in the answer: a quote located by character offsets in its source document."""

    n: int
    doc: str = Field(description="Document id (GET /v1/documents/{doc}/text?start=&end= shows the span).")
    title: str = Field(description="The document's title.")
    label: str = Field(description="Human citation label, e.g. 'UN Cybercrime Convention, art. 24(2)'.")
    article: str | None
    paragraph: str | None
    start: int
    end: int
    quote: str


class SentenceOut(BaseModel):
    """One sentence of the answer with the verifier's verdict; unsupported sentences are not in the content."""

    text: str
    citations: list[int]
    supported: bool
    verdict: str = Field(description="'supported', 'contradicted' or 'not_found'.")
    reason: str | None = Field(description="Why the sentence is not supported, when it is not.")
    score: float


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str = Field(description="The verified answer with [n] markers, then a short sources block.")


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class TreatyFields(BaseModel):
    """What the product adds to an OpenAI response; clients that do not know these fields ignore them."""

    citations: list[CitationOut]
    sentences: list[SentenceOut]
    refused: bool = Field(description="True when the documents do not answer the question.")
    notice: str | None = Field(description="e.g. the local model failed and the answer is extractive.")
    timings: dict[str, float] = Field(description="Seconds spent in retrieval, generation, verification and total.")


class ChatCompletion(TreatyFields):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "treatyqa"
    description: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


# ----- search -----


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(description="A question or keywords; the same limits as a question.")
    k: int | None = Field(None, description="Passages to return (default: the server's top_k).")
    documents: list[str] = Field(default_factory=list, description="Only these document ids.")
    chapters: list[str] = Field(default_factory=list, description="Only these chapters (roman numerals).")
    articles: list[str] = Field(default_factory=list, description="Only these article numbers.")


class SearchHit(BaseModel):
    id: str
    doc: str
    title: str
    label: str
    article: str | None
    chapter: str | None
    paragraphs: list[str]
    start: int
    end: int
    score: float
    supporting: bool = Field(description="Context attached because a hit cites it (or a note on the hit's article).")
    reasons: list[str] = Field(description="Why it was found: 'hybrid', 'names article 24', 'cited by ...'.")
    text: str


class SearchResponse(BaseModel):
    query: str
    results: list[SearchHit]


# ----- documents -----


class DocumentOut(BaseModel):
    id: str
    title: str
    passages: int
    file: str = Field(description="The name of the file it was ingested from.")


class DocumentList(BaseModel):
    documents: list[DocumentOut]


class DocumentTextOut(BaseModel):
    id: str
    title: str
    start: int
    end: int
    length: int = Field(description="Characters in the whole document.")
    text: str = Field(description="The source text from start to end (the same offsets as citations).")
    gaps: list[tuple[int, int]] = Field(
        description="Spans no stored passage holds (blank lines, a title line), returned as spaces."
    )


class UploadOut(BaseModel):
    id: str
    file: str
    status: Literal["added", "updated", "unchanged"]
    passages: int
    message: str


class DeletedOut(BaseModel):
    id: str
    deleted: bool = True


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    documents: int
    passages: int


class ErrorDetail(BaseModel):
    message: str
    type: str
    code: str | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "Invalid request (empty or over-long question, bad k)",
        401: "Missing or wrong bearer token",
        413: "Request body over the limit",
        422: "Malformed request body",
    }.items()
}
