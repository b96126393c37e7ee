"""Turn files into indexed chunks: files -> cleaned text -> chunks -> Chroma."""

from .embeddings import EMBEDDERS, EmbeddingCache, FakeEmbeddings, make_embeddings
from .loaders import SUPPORTED_SUFFIXES, LoadError
from .pipeline import ingest
from .settings import Settings, SettingsError, load_settings
from .store import EmbedderMismatchError, Store, StoreUnavailableError
from .types import Chunk, FileReport, IngestReport

__all__ = [
    "EMBEDDERS",
    "Chunk",
    "EmbedderMismatchError",
    "EmbeddingCache",
    "FakeEmbeddings",
    "FileReport",
    "IngestReport",
    "LoadError",
    "SUPPORTED_SUFFIXES",
    "Settings",
    "SettingsError",
    "Store",
    "StoreUnavailableError",
    "ingest",
    "load_settings",
    "make_embeddings",
]
