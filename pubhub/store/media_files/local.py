"""Media files in a directory (PUBHUB_MEDIA_DIR), worked in a thread; removed posts' files in
its `removed/` subdirectory, which /media/NAME never reaches."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from .interface import QUARANTINE, Served

log = logging.getLogger("pubhub.store.media_files")


class LocalDirectory:
    def __init__(self, directory: Path):
        self.directory = directory

    async def start(self) -> None:
        return None  # made on the first write

    async def write(self, files: dict[str, bytes]) -> None:
        await asyncio.to_thread(_write_files, self.directory, files)

    async def remove(self, names: list[str]) -> None:
        await asyncio.to_thread(_remove_files, self.directory, names)

    async def quarantine(self, names: list[str]) -> None:
        await asyncio.to_thread(_move_files, self.directory, self.directory / QUARANTINE, names)

    async def restore(self, names: list[str]) -> None:
        await asyncio.to_thread(_move_files, self.directory / QUARANTINE, self.directory, names)

    async def remove_quarantined(self, names: list[str]) -> None:
        await asyncio.to_thread(_remove_files, self.directory / QUARANTINE, names)

    async def serve(self, name: str) -> Served | None:
        path = self.directory / name
        return Served(size=None, path=path) if path.is_file() else None

    async def close(self) -> None:
        return None


def _write_files(directory: Path, files: dict[str, bytes]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        partial = directory / f".{name}.partial"
        partial.write_bytes(data)
        os.replace(partial, directory / name)  # readers see the whole file or none


def _remove_files(directory: Path, names: list[str]) -> None:
    for name in names:
        try:
            (directory / name).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("media file not removed name=%s reason=%s", name, exc)


def _move_files(source: Path, target: Path, names: list[str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        try:
            os.replace(source / name, target / name)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("media file not moved name=%s reason=%s", name, exc)
