"""Arguments every CLI shares (``--store``, ``--collection``) and how they override settings."""

from __future__ import annotations

import argparse
from pathlib import Path

from rag.settings import Settings, get_settings


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: settings)")
    parser.add_argument("--collection", default=None, help="collection name (default: settings)")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The process settings, with ``--store`` and ``--collection`` applied when given."""
    overrides: dict[str, object] = {}
    if getattr(args, "store", None) is not None:
        overrides["store_path"] = args.store
    if getattr(args, "collection", None) is not None:
        overrides["collection"] = args.collection
    base = get_settings()
    return base.model_copy(update=overrides) if overrides else base
