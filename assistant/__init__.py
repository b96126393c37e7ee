"""Turn a question into a cited answer: runtime, retrieval, the answering steps, verification."""

from .backends import BACKENDS, Backend, BackendUnavailableError, register_backend, resolve_backend
from .chain import Assistant, InvalidQuestionError
from .retrieval import HybridRetriever, relevance
from .runtime import Runtime
from .types import Answer, Citation, Gate, Grounded, Passage, Retrieved, Sentence, SourceMatch, SourcesResult, Verified

__all__ = [
    "Answer",
    "Assistant",
    "BACKENDS",
    "Backend",
    "BackendUnavailableError",
    "Citation",
    "Gate",
    "Grounded",
    "HybridRetriever",
    "InvalidQuestionError",
    "Passage",
    "Retrieved",
    "Runtime",
    "Sentence",
    "SourceMatch",
    "SourcesResult",
    "Verified",
    "register_backend",
    "relevance",
    "resolve_backend",
]
