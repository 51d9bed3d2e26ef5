"""Bundle containers: the files of a folder or zip bundle, and zip-bomb checks."""
from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Optional

from engine.read_limits import MAX_COMPRESSION_RATIO, MAX_ZIP_MEMBERS, BundleError

CONTRACT_FILE = "contract.yaml"
INVOICE_FILE = "invoice.yaml"
_YAML_ALT = {CONTRACT_FILE: "contract.yml", INVOICE_FILE: "invoice.yml"}


class Source:
    """Files of a directory or zip bundle, found by case-insensitive name."""

    name: str

    def find(self, filename: str) -> Optional[str]:
        names = self.names()
        lower = {n.lower(): n for n in sorted(names)}  # lower case sorts last: an exact name wins
        for candidate in (filename, _YAML_ALT.get(filename)):
            if candidate and candidate.lower() in lower:
                return lower[candidate.lower()]
        return None

    def names(self) -> list[str]:
        raise NotImplementedError

    def size(self, name: str) -> int:
        raise NotImplementedError

    def open(self, name: str) -> BinaryIO:
        raise NotImplementedError

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        """(de, en) why the file must not be read, or None."""
        size = self.size(name)
        if size > limit:
            return (f"Datei zu groß ({size} Bytes, höchstens {limit})",
                    f"file too large ({size} bytes, at most {limit})")
        return None


class DirSource(Source):
    def __init__(self, root: Path):
        self.root = root
        self.name = root.resolve().name
        self._files = {p.name: p for p in root.iterdir() if not p.name.startswith(".")}

    def names(self) -> list[str]:
        return list(self._files)

    def size(self, name: str) -> int:
        return self._files[name].stat().st_size

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        if not stat.S_ISREG(self._files[name].stat().st_mode):  # e.g. a link to /dev/zero
            return "keine normale Datei", "not a regular file"
        return super().check(name, limit)

    def open(self, name: str) -> BinaryIO:
        return open(self._files[name], "rb")


class ZipSource(Source):
    """A zip bundle: files at the zip root or inside one top-level folder."""

    def __init__(self, path: Path):
        self.name = path.name
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise BundleError(f'"{path.name}" ist keine lesbare .zip-Datei ({type(e).__name__})',
                              f'"{path.name}" is not a readable .zip file ({type(e).__name__})') from None
        infos = check_zip(self.zf, path.name)
        members = {}
        for info in infos:
            n = info.filename.replace("\\", "/")
            base = n.rsplit("/", 1)[-1]
            if info.is_dir() or n.startswith("__MACOSX/") or base.startswith(".") or not base:
                continue
            members[n] = info
        prefix = ""
        if not any("/" not in n and n.lower() in (CONTRACT_FILE, "contract.yml") for n in members):
            tops = {n.split("/", 1)[0] for n in members}
            if len(tops) == 1 and all("/" in n for n in members):
                prefix = tops.pop() + "/"
        self._members = {n[len(prefix):]: i for n, i in members.items()
                         if n.startswith(prefix) and "/" not in n[len(prefix):]}

    def names(self) -> list[str]:
        return list(self._members)

    def size(self, name: str) -> int:
        return self._members[name].file_size

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        if self._members[name].flag_bits & 0x1:
            return "Datei ist verschlüsselt", "file is encrypted"
        return super().check(name, limit)

    def open(self, name: str) -> BinaryIO:
        # ZipExtFile never returns more than the declared (already checked) size
        return self.zf.open(self._members[name])

    def close(self) -> None:
        self.zf.close()


def check_zip(zf: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    """Refuse zip bombs before anything is decompressed (sizes from the central directory)."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise BundleError(f'"{label}" enthält zu viele Dateien ({len(infos)}, höchstens {MAX_ZIP_MEMBERS})',
                          f'"{label}" contains too many files ({len(infos)}, at most {MAX_ZIP_MEMBERS})')
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise BundleError(
            f'"{label}" ist verdächtig stark komprimiert (Verhältnis über {MAX_COMPRESSION_RATIO}:1); nicht gelesen',
            f'"{label}" is suspiciously highly compressed (ratio above {MAX_COMPRESSION_RATIO}:1); not read')
    return infos


READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError)
