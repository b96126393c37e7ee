"""Turn files into indexed chunks."""

from .embeddings import make_embeddings
from .loaders import SUPPORTED_SUFFIXES, LoadError
from .pipeline import ingest
from .settings import Settings, get_settings, load_settings
from .store import EmbedderMismatchError, StoreUnavailableError, all_chunks, open_collection
from .types import Chunk, FileReport, IngestReport

__all__ = [
    "Chunk",
    "EmbedderMismatchError",
    "FileReport",
    "IngestReport",
    "LoadError",
    "SUPPORTED_SUFFIXES",
    "Settings",
    "StoreUnavailableError",
    "all_chunks",
    "get_settings",
    "ingest",
    "load_settings",
    "make_embeddings",
    "open_collection",
]
