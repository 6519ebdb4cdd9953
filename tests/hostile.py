"""Hostile PDFs made on the spot (small files, hand-written PDF syntax with a correct xref).

Each maker writes one file and returns the error class a run must give it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from .conftest import CORPUS


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 is the catalog), with a valid xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def one_page_pdf(content: bytes, resources: bytes = b"<< >>", extra: tuple[bytes, ...] = ()) -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "
            + resources
            + b" >>",
            _stream(b"/Filter /FlateDecode", zlib.compress(content, 9)),
            *extra,
        ]
    )


def zero_bytes(path: Path) -> str:
    path.write_bytes(b"")
    return "empty_file"


def not_a_pdf(path: Path) -> str:
    path.write_text("<html><body>这不是PDF文件</body></html>\n", encoding="utf-8")
    return "not_a_pdf"


def corrupt(path: Path) -> str:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    return "corrupt_pdf"


def truncated(path: Path) -> str:
    whole = one_page_pdf(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" * 200)
    path.write_bytes(whole[: len(whole) // 2])
    return "corrupt_pdf"


def encrypted(path: Path) -> str:
    path.write_bytes((CORPUS / "bad" / "encrypted.pdf").read_bytes())
    return "encrypted_pdf"


def two_thousand_pages(path: Path) -> str:
    doc = pdfium.PdfDocument.new()
    for _ in range(2000):
        doc.new_page(595, 842)
    doc.save(str(path))
    doc.close()
    return "too_many_pages"


def huge_image(path: Path) -> str:
    """A page showing a 20,000 × 20,000 image (1 bit per pixel, all zeros: 58 KB compressed)."""
    side = 20_000
    pixels = zlib.compress(bytes(side * side // 8), 9)
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 1 /Filter /FlateDecode" % (side, side),
        pixels,
    )
    path.write_bytes(
        one_page_pdf(b"q 595 0 0 842 0 0 cm /Im1 Do Q\n", b"<< /XObject << /Im1 5 0 R >> >>", (image,))
    )
    return "image_too_large"


def parser_loop(path: Path, paths: int = 2_000_000) -> str:
    """A 55 KB page whose content stream inflates to 2 million stroked paths: PDFium and the
    rule reader grind on it for minutes (~0.05 ms a path) and their memory keeps growing —
    a stand-in for a parser loop that only the worker's time or memory limit can stop."""
    path.write_bytes(one_page_pdf(b"0 0 m 1 1 l S\n" * paths))
    return "timeout"


HOSTILE: dict[str, Callable[[Path], str]] = {
    "zero.pdf": zero_bytes,
    "notes.pdf": not_a_pdf,
    "corrupt.pdf": corrupt,
    "truncated.pdf": truncated,
    "encrypted.pdf": encrypted,
    "2000-pages.pdf": two_thousand_pages,
    "huge-image.pdf": huge_image,
    "loop.pdf": parser_loop,
}


def make_hostile(folder: Path) -> dict[str, str]:
    """Every hostile file in `folder`; name → expected error class."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: make(folder / name) for name, make in HOSTILE.items()}


def heavy_scan(path: Path, pages: int = 8, paths: int = 30_000) -> None:
    """A file of `pages` pages without text, each drawing `paths` stroked paths: every page needs
    OCR (so a run splits the file over its workers), and reading each costs PDFium about a
    second — a stand-in for a long scanned report whose pages take real time."""
    content = _stream(b"/Filter /FlateDecode", zlib.compress(b"0 0 m 1 1 l S\n" * paths, 9))
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << >> >>"
    path.write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
                *(page % (3 + pages) for _ in range(pages)),
                content,
            ]
        )
    )
