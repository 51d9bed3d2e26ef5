"""Bundle containers: the files of a folder or zip bundle, and zip-bomb checks.

Nothing outside the bundle is read: a folder's symbolic links and other
non-regular files are refused (their target is never opened nor quoted).
Names are matched without regard to case; when more than one file stands for
the same name (``Services.csv`` beside ``services.csv``, a zip member stored
twice, ``contract.yml`` beside ``contract.yaml``) ``candidates`` lists them
all, so the reader can report the ambiguity. A file name that is not valid
UTF-8 is reported and the file left out.
"""
from __future__ import annotations

import codecs
import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Optional

from engine.read.limits import MAX_COMPRESSION_RATIO, MAX_ZIP_MEMBERS, BundleError, Problems
from engine.report.safe import printable

CONTRACT_FILE = "contract.yaml"
INVOICE_FILE = "invoice.yaml"
_YAML_ALT = {CONTRACT_FILE: "contract.yml", INVOICE_FILE: "invoice.yml"}
RATIO_FLOOR_BYTES = 1024 * 1024  # a member this small cannot cost much, whatever its ratio


def safe_name(name: str) -> str:
    """A file name fit for a report: undecodable bytes and control characters as ``\\xNN``."""
    return printable(name)


def _utf8_ok(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8
        return False
    return True


class Source:
    """Files of a directory or zip bundle, found by case-insensitive name."""

    name: str
    # (file, de, en) found while listing the bundle: names that are not UTF-8, repeated zip members
    notes: list[tuple[str, str, str]]

    def candidates(self, filename: str) -> list[str]:
        """Every name that stands for ``filename`` (case-insensitive, ``.yml`` for ``.yaml``), best first.

        The exact name comes first, then the others in sorted order; a zip member
        stored twice appears twice.
        """
        wanted = {filename.lower(), (_YAML_ALT.get(filename) or filename).lower()}
        found = sorted((n for n in self.names() if n.lower() in wanted), key=lambda n: (n != filename, n))
        return [n for n in found for _ in range(self.copies(n))]

    def find(self, filename: str) -> Optional[str]:
        found = self.candidates(filename)
        return found[0] if found else None

    def copies(self, name: str) -> int:
        return 1

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


def _not_utf8(name: str) -> tuple[str, str, str]:
    shown = safe_name(name)
    return (shown, f'Dateiname "{shown}" ist kein gültiges UTF-8; Datei nicht gelesen',
            f'file name "{shown}" is not valid UTF-8; file not read')


class DirSource(Source):
    """A folder bundle. Entries are listed and opened without following symbolic links."""

    def __init__(self, root: Path):
        self.root = root
        self.name = safe_name(root.resolve().name)
        self.notes = []
        self._files: dict[str, Path] = {}
        with os.scandir(root) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.name.startswith("."):
                    continue
                if _utf8_ok(e.name):
                    self._files[e.name] = Path(e.path)
                else:
                    self.notes.append(_not_utf8(e.name))

    def names(self) -> list[str]:
        return list(self._files)

    def size(self, name: str) -> int:
        return self._files[name].lstat().st_size

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        mode = self._files[name].lstat().st_mode
        if stat.S_ISLNK(mode):  # its target is neither read nor named
            return "symbolischer Link, keine Datei der Einreichung", "symbolic link, not a file of the submission"
        if not stat.S_ISREG(mode):  # a folder, a pipe, a device …
            return "keine normale Datei", "not a regular file"
        return super().check(name, limit)

    def open(self, name: str) -> BinaryIO:
        # O_NOFOLLOW/O_NONBLOCK: a file swapped for a link or a pipe after check() is refused, never waited on
        fd = os.open(self._files[name], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError("not a regular file")
        return os.fdopen(fd, "rb")


_LENIENT_UTF8 = "asa_check_lenient_utf8"


def _lenient_codec(name: str) -> Optional[codecs.CodecInfo]:
    if name != _LENIENT_UTF8:
        return None
    return codecs.CodecInfo(name=_LENIENT_UTF8, encode=codecs.utf_8_encode,
                            decode=lambda b, errors="strict": codecs.utf_8_decode(b, "surrogateescape", True))


codecs.register(_lenient_codec)


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Open a zip; member names that are flagged UTF-8 but are not keep their bytes as surrogates.

    ``zipfile`` refuses the whole archive for one such name. It decodes names
    without the UTF-8 flag with ``metadata_encoding``; for the duration of the
    (single-threaded) open the flag is ignored, so every name goes through the
    lenient codec and the bad ones can be reported one by one.
    """
    try:
        return zipfile.ZipFile(path)
    except UnicodeDecodeError:
        pass
    saved = zipfile._MASK_UTF_FILENAME
    zipfile._MASK_UTF_FILENAME = 0
    try:
        return zipfile.ZipFile(path, metadata_encoding=_LENIENT_UTF8)
    finally:
        zipfile._MASK_UTF_FILENAME = saved


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


class ZipSource(Source):
    """A zip bundle: files at the zip root or inside one top-level folder."""

    def __init__(self, path: Path):
        self.name = safe_name(path.name)
        self.notes = []
        try:
            self.zf = _open_zip(path)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise BundleError(f'"{self.name}" ist keine lesbare .zip-Datei ({type(e).__name__})',
                              f'"{self.name}" is not a readable .zip file ({type(e).__name__})') from None
        infos = check_zip(self.zf, self.name)
        members: dict[str, list[zipfile.ZipInfo]] = {}
        for info in infos:
            n = info.filename.replace("\\", "/")
            base = n.rsplit("/", 1)[-1]
            if info.is_dir() or n.startswith("__MACOSX/") or base.startswith(".") or not base:
                continue
            if not _utf8_ok(n):
                self.notes.append(_not_utf8(n))
                continue
            members.setdefault(n, []).append(info)
        prefix = ""
        if not any("/" not in n and n.lower() in (CONTRACT_FILE, "contract.yml") for n in members):
            tops = {n.split("/", 1)[0] for n in members}
            if len(tops) == 1 and all("/" in n for n in members):
                prefix = tops.pop() + "/"
        self._members = {n[len(prefix):]: i for n, i in members.items()
                         if n.startswith(prefix) and "/" not in n[len(prefix):]}

    def names(self) -> list[str]:
        return list(self._members)

    def copies(self, name: str) -> int:
        return len(self._members[name])

    def _info(self, name: str) -> zipfile.ZipInfo:
        return self._members[name][0]  # of a member stored twice, the first is read (and the repeat reported)

    def size(self, name: str) -> int:
        return self._info(name).file_size

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        info = self._info(name)
        if info.flag_bits & 0x1:
            return "Datei ist verschlüsselt", "file is encrypted"
        if _is_link(info):
            return "symbolischer Link, keine Datei der Einreichung", "symbolic link, not a file of the submission"
        if _bomb(info):
            return (f"verdächtig stark komprimiert (Verhältnis über {MAX_COMPRESSION_RATIO}:1)",
                    f"suspiciously highly compressed (ratio above {MAX_COMPRESSION_RATIO}:1)")
        return super().check(name, limit)

    def open(self, name: str) -> BinaryIO:
        # ZipExtFile never returns more than the declared (already checked) size
        return self.zf.open(self._info(name))

    def close(self) -> None:
        self.zf.close()


def _bomb(info: zipfile.ZipInfo) -> bool:
    return info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)


def check_zip(zf: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    """Refuse zip bombs before anything is decompressed (sizes from the central directory).

    The whole archive is refused when it has too many members or its total
    ratio is too high; a single member with a suspicious ratio is refused by
    ``ZipSource.check`` (a workbook's by ``check_workbook_zip``).
    """
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


def check_workbook_zip(path: Path, label: str, max_file_bytes: int) -> None:
    """A workbook is a zip: the archive and every member are checked before openpyxl inflates anything."""
    with zipfile.ZipFile(path) as zf:
        for info in check_zip(zf, label):
            if _bomb(info):
                raise BundleError(f'"{label}": Teil {safe_name(info.filename)!r} verdächtig stark komprimiert '
                                  f'(Verhältnis über {MAX_COMPRESSION_RATIO}:1); nicht gelesen',
                                  f'"{label}": part {safe_name(info.filename)!r} suspiciously highly compressed '
                                  f'(ratio above {MAX_COMPRESSION_RATIO}:1); not read')
            if info.file_size > max_file_bytes:
                raise BundleError(f'"{label}": Arbeitsmappe zu groß', f'"{label}": workbook too large')


def ambiguous(problems: Problems, names: list[str], canonical: str) -> None:
    """Several files (or sheets) stand for one: an error naming them all; the first is the one read."""
    first = safe_name(names[0])
    if len(set(names)) == 1:
        problems.add(first, 0, "", f'mehrdeutig: "{first}" steht {len(names)}-mal in der Einreichung; '
                     "nur der erste Eintrag wird gelesen",
                     f'ambiguous: "{first}" is in the submission {len(names)} times; only the first entry is read')
        return
    shown = ", ".join(f'"{safe_name(n)}"' for n in names)
    problems.add(first, 0, "", f"mehrdeutig: {shown} stehen alle für {canonical}; nur \"{first}\" wird gelesen",
                 f'ambiguous: {shown} all stand for {canonical}; only "{first}" is read')


READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError)
