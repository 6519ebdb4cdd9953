"""Rendering the HTML templates shipped in `pipeline/templates/` (package data).

Jinja2 with autoescaping on: every value from a report (titles, labels, printed cells, messages)
is untrusted text and is escaped wherever it lands, in element text and in attributes alike;
data handed to scripts goes through `tojson`, which escapes `<`, `>`, `&` and `'`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")


def fmt_number(value: float | int | None, digits: int = 2) -> str:
    """A number as a reader expects it: integers without `.0`, others rounded; '' for null."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt_number
    return env


def render(template: str, **context: Any) -> str:
    """`templates/<template>` rendered with `context`; the shared stylesheet is available as `css`."""
    env = _environment()
    css = (TEMPLATES / "base.css").read_text(encoding="utf-8")
    return env.get_template(template).render(css=css, **context)


def trusted(markup: str) -> Markup:
    """Mark markup this program produced itself (matplotlib SVG) as safe to embed unescaped."""
    return Markup(markup)
