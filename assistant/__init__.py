"""Turn a question into a cited answer."""

from .backends import BACKENDS, BackendUnavailableError, resolve_backend
from .chain import Assistant, InvalidQuestionError
from .retrieval import HybridRetriever, relevance
from .types import Answer, Citation, Passage, Sentence, SourceMatch, SourcesResult

__all__ = [
    "Answer",
    "Assistant",
    "BACKENDS",
    "BackendUnavailableError",
    "Citation",
    "HybridRetriever",
    "InvalidQuestionError",
    "Passage",
    "Sentence",
    "SourceMatch",
    "SourcesResult",
    "relevance",
    "resolve_backend",
]
