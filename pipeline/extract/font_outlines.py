"""Glyphs of an embedded font with no Unicode map, named by their outlines in an installed font.

A re-distill can drop a subset font's ToUnicode map and re-encode its codes (ghostscript writes a
symbolic cmap of private-use codes, or keeps CIDs of a substituted font): the characters then read
as raw codes. The glyphs are still the glyphs of the font the subset was cut from, and a TrueType
subset copies each glyph's points unchanged. So a glyph whose contours equal, point for point, those
of a glyph of an installed font is that glyph, and the installed font's cmap names it. This needs
no OCR and is exact; a glyph found in no installed font, or whose outline stands for two different
characters, stays unnamed (font_repair.py then reads it by OCR as before).

Only TrueType outlines (`glyf`) are compared: a CFF subset keeps its own charstrings, and cubic and
quadratic outlines never compare equal. Installed fonts are the fontconfig fonts that cover Chinese
(`fc-list :lang=zh`); the same family as the embedded one is not required (a substituted font keeps
the substitute's glyphs).
"""

from __future__ import annotations

import functools
import io
import mmap
import shutil
import struct
import subprocess
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph

FONT_LIST = ("fc-list", ":lang=zh", "file", "index")  # fontconfig: installed faces that cover Chinese
UNIFIED = (0x4E00, 0x9FFF)  # the CJK unified ideographs: the name a shared glyph is given
SYMBOL_PAGES = (0x0000, 0xF000, 0xF100, 0xF200)  # a symbolic (3,0) cmap keys code c at page + c
Header = tuple[int, int, int, int, int]  # a glyph's contours and bounding box, in font units
Outline = tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]  # points, ends, on-curve


@dataclass(frozen=True)
class EmbeddedFont:
    """What a PDF font dictionary says about its TrueType program, as glyph_source.py reads it."""

    program: bytes  # the FontFile2 stream
    cid: bool  # a CIDFontType2 (codes are CIDs) rather than a simple TrueType font
    cid_to_gid: bytes | None = None  # a CIDToGIDMap stream (2 bytes a CID); None: the identity


def glyph_names(font: EmbeddedFont, codes: Iterable[int], faces: Iterable[InstalledFace]) -> dict[int, str]:
    """The character each code of `font` draws, for the codes whose outline an installed face holds
    under exactly one character."""
    try:
        program = TTFont(io.BytesIO(font.program), lazy=True)
        glyf = program["glyf"]
        order = program.getGlyphOrder()
    except Exception:  # a damaged or non-TrueType program names nothing; OCR reads its glyphs
        return {}
    faces = list(faces)
    named: dict[int, str] = {}
    for code in codes:
        gid = _glyph_id(font, program, code)
        if gid is None or not 0 < gid < len(order):
            continue
        try:
            glyph = glyf[order[gid]]
            outline = _outline(glyph, glyf)
        except Exception:
            continue
        if not outline[0]:
            continue
        header = (glyph.numberOfContours, glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        found = {ch for face in faces if (ch := face.name(header, outline)) is not None}
        if (ch := one_character(found)) is not None:
            named[code] = ch
    return named


def one_character(characters: set[str]) -> str | None:
    """The one character a set of look-alike glyphs stands for: a compatibility ideograph or a
    radical drawn as its unified ideograph is that ideograph (NFKC); two characters are none."""
    if len({unicodedata.normalize("NFKC", ch) for ch in characters}) != 1:
        return None
    return min(characters, key=lambda ch: _preference(ord(ch)))


def _glyph_id(font: EmbeddedFont, program: TTFont, code: int) -> int | None:
    """The glyph a code selects, by the PDF rules: a CID through its CIDToGIDMap; a simple font's
    code through its symbolic (3,0) or Macintosh (1,0) cmap."""
    if font.cid:
        if font.cid_to_gid is None:
            return code
        at = 2 * code
        return struct.unpack_from(">H", font.cid_to_gid, at)[0] if at + 2 <= len(font.cid_to_gid) else None
    if "cmap" not in program:
        return code  # a subset with no cmap is indexed by code (the producer wrote it so)
    for table in program["cmap"].tables:
        if (table.platformID, table.platEncID) == (3, 0):
            for page in SYMBOL_PAGES:
                if (name := table.cmap.get(page + code)) is not None:
                    return program.getGlyphID(name)
    for table in program["cmap"].tables:
        if (table.platformID, table.platEncID) == (1, 0) and (name := table.cmap.get(code)) is not None:
            return program.getGlyphID(name)
    return None


def _outline(glyph: object, glyf: object) -> Outline:
    points, ends, flags = glyph.getCoordinates(glyf)  # type: ignore[attr-defined]
    return (tuple((int(x), int(y)) for x, y in points), tuple(ends), tuple(f & 1 for f in flags))


class InstalledFace:
    """The glyphs of one installed `glyf` table (the faces of a collection that share it, their
    cmaps merged): each glyph's header (contours, bounding box) in an array, a glyph decoded from
    the mapped file only when an embedded glyph has its header. fontTools' own table object would
    hold every glyph decoded, some 50 MB a face."""

    extended = False  # what fontTools' Glyph asks of the table it decodes components through

    def __init__(self, path: str, table: int, loca: Sequence[int], characters: dict[int, str]) -> None:
        with open(path, "rb") as file:
            self.data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self.table, self.characters = table, characters
        self.loca = np.asarray(loca, dtype=np.int64)
        starts = self.loca[:-1]
        self.headers = np.zeros((len(starts), 5), dtype=np.int16)
        whole = starts + 10 <= self.loca[1:]  # empty glyphs (spaces) have no header
        at = table + starts[whole][:, None] + np.arange(10)
        self.headers[whole] = np.frombuffer(self.data, np.uint8)[at].copy().view(">i2").reshape(-1, 5)

    def name(self, header: Header, outline: Outline) -> str | None:
        """The character of this face's glyph with exactly this outline, if one."""
        same = np.flatnonzero((self.headers == header).all(axis=1))
        found = {
            self.characters[gid]
            for gid in map(int, same)
            if gid in self.characters and self._has(gid, outline)
        }
        return one_character(found)

    def _has(self, gid: int, outline: Outline) -> bool:
        try:
            return _outline(self[str(gid)], self) == outline
        except Exception:  # a glyph fontTools cannot decode (a component out of range) is no match
            return False

    def getGlyphName(self, gid: int) -> str:  # a component's glyph, as fontTools' Glyph names it
        return str(gid)

    def __getitem__(self, name: str) -> Glyph:
        gid = int(name)
        glyph = Glyph(self.data[self.table + self.loca[gid] : self.table + self.loca[gid + 1]])
        glyph.expand(self)
        return glyph


def _installed_face(path: str, index: int) -> tuple[tuple[str, int], list[int], dict[int, str]] | None:
    """Where a face's `glyf` table lies, its `loca` and its characters; None for a face with no
    TrueType outlines (CFF) or a file fontTools cannot read."""
    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            table = font.reader.tables["glyf"].offset
            return (path, table), list(font["loca"].locations), _characters(font)
        finally:
            font.close()
    except Exception:
        return None


def _characters(font: TTFont) -> dict[int, str]:
    """Glyph id → the character it draws. A glyph several code points share (一 and the Kangxi
    radical ⼀) is named by its code point in the unified ideographs, else by its lowest."""
    codes: dict[int, list[int]] = {}
    for code, name in (font.getBestCmap() or {}).items():
        codes.setdefault(font.getGlyphID(name), []).append(code)
    return {gid: chr(min(found, key=_preference)) for gid, found in codes.items()}


def _preference(code: int) -> tuple[bool, int]:
    return (not UNIFIED[0] <= code <= UNIFIED[1], code)


@functools.cache
def installed_faces() -> tuple[InstalledFace, ...]:
    """The installed `glyf` tables of the faces that cover Chinese (fontconfig's list), read once
    per process; the faces of a collection that share one table are one."""
    if shutil.which(FONT_LIST[0]) is None:
        return ()
    try:
        listed = subprocess.run(FONT_LIST, capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    tables: dict[tuple[str, int], tuple[list[int], dict[int, str]]] = {}
    for line in sorted(set(listed.splitlines())):
        path, _, index = line.rpartition(":index=")
        path = path.rstrip(": ")
        if path and index.isdigit() and (found := _installed_face(path, int(index))) is not None:
            where, loca, characters = found
            if where in tables:
                characters.update(tables[where][1])  # the first face's name for a shared glyph
            tables[where] = (loca, characters)
    faces = []
    for (path, table), (loca, characters) in tables.items():
        try:
            faces.append(InstalledFace(path, table, loca, characters))
        except (OSError, ValueError, IndexError):  # a file changed or cut short since fontconfig listed it
            continue
    return tuple(faces)
