"""The packaged local model (Qwen2.5-Coder GGUF through llama.cpp) as an offline judge.

Its reply is constrained by a grammar built from ``VERDICT_SCHEMA``, so it is always the JSON
asked for (a reply cut off at the token limit is the one way it can be unparsed).
"""

from __future__ import annotations

from typing import Any

from eval.judges.base import Judgement
from eval.judges.prompt import VERDICT_SCHEMA, judge_messages, parse_reply, unparsed
from eval.judges.window import WINDOW_CHARS, passage_window
from rag.errors import ModelUnavailableError
from rag.models import ensure_gguf
from rag.settings import Settings

JUDGE_MAX_TOKENS = 80
JUDGE_CONTEXT = 2048  # the system prompt, a 900-character window and a claim fit with room to spare


class LocalModelJudge:
    """One constrained chat completion per pair on ``settings.llm_model_size``, loaded once."""

    name = "local"

    def __init__(self, settings: Settings, window_chars: int = WINDOW_CHARS) -> None:
        from llama_cpp import Llama

        self.window_chars = window_chars
        path = ensure_gguf(settings.llm_model_size, settings.model_cache)
        try:
            self._model = Llama(
                model_path=str(path), n_ctx=JUDGE_CONTEXT, n_threads=settings.llm_threads, n_batch=512, verbose=False
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelUnavailableError(f"the local judge could not load {path.name}: {exc}") from exc

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        window = passage_window(passage_text, sentence, self.window_chars)
        response: Any = self._model.create_chat_completion(
            messages=judge_messages(sentence, window, doc, article),  # type: ignore[arg-type]
            temperature=0.0,
            max_tokens=JUDGE_MAX_TOKENS,
            response_format={"type": "json_object", "schema": VERDICT_SCHEMA},
        )
        choice = response["choices"][0]
        if choice.get("finish_reason") == "length":
            return unparsed(f"the reply was cut at {JUDGE_MAX_TOKENS} tokens")
        return parse_reply(choice["message"]["content"] or "")
