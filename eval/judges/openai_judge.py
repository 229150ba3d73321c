"""An LLM judge behind any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp's server).

The endpoint, model and key are the product's settings (``RAG_OPENAI_BASE_URL``,
``RAG_OPENAI_MODEL``, ``RAG_OPENAI_API_KEY``). The reply is asked for in JSON mode at
temperature 0; a reply that is not that JSON, or a request the server
fails, is counted as unparsed. An endpoint that cannot be reached, or refuses the key or the
model, stops the run with an error naming the setting to fix.
"""

from __future__ import annotations

from typing import Any

import openai

from eval.judges.base import Judgement
from eval.judges.prompt import judge_messages, parse_reply, unparsed
from eval.judges.window import WINDOW_CHARS, passage_window
from rag.errors import ModelUnavailableError
from rag.settings import Settings

JUDGE_MAX_TOKENS = 80
# JSON mode is what every OpenAI-compatible server accepts (llama.cpp's refuses "json_schema"); the
# prompt spells out the fields, and a reply that misses them is counted as unparsed.
RESPONSE_FORMAT: dict[str, Any] = {"type": "json_object"}


class OpenAIJudge:
    """One chat completion per pair on the configured OpenAI-compatible endpoint."""

    name = "openai"

    def __init__(self, settings: Settings, window_chars: int = WINDOW_CHARS) -> None:
        if not settings.openai_base_url and settings.openai_api_key.get_secret_value() == "not-needed":
            raise ModelUnavailableError("the openai judge needs RAG_OPENAI_BASE_URL or RAG_OPENAI_API_KEY")
        self.model = settings.openai_model
        self.window_chars = window_chars
        self._where = settings.openai_base_url or "the OpenAI API"
        self._client = openai.OpenAI(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key.get_secret_value(),
            timeout=settings.openai_timeout,
            max_retries=1,
        )

    def judge(self, sentence: str, passage_text: str, doc: str | None = None, article: str | None = None) -> Judgement:
        window = passage_window(passage_text, sentence, self.window_chars)
        try:
            response = self._client.chat.completions.create(  # type: ignore[call-overload]
                model=self.model,
                messages=judge_messages(sentence, window, doc, article),
                temperature=0,
                max_tokens=JUDGE_MAX_TOKENS,
                response_format=RESPONSE_FORMAT,
            )
        except (openai.APIConnectionError, openai.AuthenticationError, openai.NotFoundError) as exc:
            raise ModelUnavailableError(
                f"the openai judge could not use model {self.model!r} at {self._where} "
                f"({type(exc).__name__}); check RAG_OPENAI_BASE_URL, RAG_OPENAI_MODEL and RAG_OPENAI_API_KEY"
            ) from exc
        except openai.APIStatusError as exc:
            return unparsed(f"the server answered HTTP {exc.status_code}")
        choices = getattr(response, "choices", None)
        if not choices or not isinstance(choices[0].message.content, str):
            return unparsed("the reply holds no message text")
        return parse_reply(choices[0].message.content)
