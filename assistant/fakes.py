"""The fake profile's chat models (with `ingest.FakeEmbeddings`): tests and demos run the
whole pipeline without loading a model, like simonw/llm's MockModel.

- `ScriptedChat(replies=[...])` answers from a script (or raises `error`) and records every
  prompt it was sent.
- `EchoChat` (backend "fake") answers by quoting the first real sentence (headings
  skipped) of the first two passages of its prompt, each with its marker: deterministic
  and grounded. It reads both contexts (context.py): numbered excerpt lines in one fence,
  or whole passages each in its own fence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from .text import split_sentences


class _TextChat(BaseChatModel):
    """A chat model whose reply is a function of the prompt; streams it word by word."""

    def _reply(self, messages: list[BaseMessage]) -> str:
        raise NotImplementedError

    def _generate(self, messages, stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for word in self._reply(messages).split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + " "))


class ScriptedChat(_TextChat):
    replies: list[str] = []
    error: str = ""
    prompts: list[str] = []
    prompt_rate: float = 0.0  # prompt tokens a second, as the local model measures them (0: unknown)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _reply(self, messages: list[BaseMessage]) -> str:
        self.prompts.append("\n".join(str(m.content) for m in messages))
        if self.error:
            raise ConnectionError(self.error)
        return self.replies.pop(0) if self.replies else ""


_PASSAGE = re.compile(r"^\[(\d+)\][^\n]*\n<<<\n(.*?)\n>>>", re.M | re.S)
_EXCERPTS = re.compile(r"^<<<\n(.*?)\n>>>", re.M | re.S)
_EXCERPT = re.compile(r"^\[(\d+)\](?: \([^)\n]*\))? (.+)$", re.M)


def prompt_passages(prompt: str) -> list[tuple[str, str]]:
    """(number, text) of the passages a prompt shows: whole fenced passages, or the
    excerpt lines of the sentence context."""
    return _PASSAGE.findall(prompt) or [(n, t.replace(" … ", "\n")) for block in _EXCERPTS.findall(prompt)
                                        for n, t in _EXCERPT.findall(block)]


class EchoChat(_TextChat):
    @property
    def _llm_type(self) -> str:
        return "echo"

    def _reply(self, messages: list[BaseMessage]) -> str:
        prompt = str(messages[-1].content) if messages else ""
        quotes = []
        for number, text in prompt_passages(prompt)[:2]:
            sentence = next((s for s in split_sentences(text) if len(s.split()) >= 6), "")
            if sentence:
                quotes.append(f"{sentence.rstrip('.')}. [{number}]")
        return " ".join(quotes)
