"""Bytes of a fetched or saved page to text, whatever its charset claims.

Chinese government pages often declare one charset and send another (a GBK page
labelled UTF-8 by the server, a UTF-8 page still carrying an old ``gb2312`` meta).
Bytes that are valid UTF-8 are UTF-8 (GBK text almost never is); otherwise the
declared charset (header, BOM, meta) if it decodes cleanly, GB2312/GBK read as
their superset GB18030; otherwise GB18030; otherwise charset-normalizer's guess.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
             "ascii": "utf-8", "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252"}


def _normal(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return SUPERSETS.get(codec, SUPERSETS.get(name.lower(), codec))


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used) for an HTML page's bytes."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return body[len(bom):].decode(bom_encoding, "replace"), bom_encoding
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    declared = [
        _normal(http_content_type_encoding(content_type) if content_type else None),
        _normal(html_body_declared_encoding(body)),
    ]
    for encoding in [*declared, "gb18030"]:
        if encoding and encoding != "utf-8":
            text = _strict(body, encoding)
            if text is not None:
                return text, encoding
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body).best()
    except Exception:  # a detector failure leaves the fallback below
        best = None
    if best is not None and best.encoding:
        return str(best), best.encoding
    fallback = next((e for e in declared if e), "utf-8")
    return body.decode(fallback, "replace"), fallback
