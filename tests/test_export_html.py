"""``usce export`` to HTML: one self-contained page, every catalog string escaped (product 9)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import Invoke, WriteFile, program_toml

TODAY = "2026-11-25"
HOSTILE = '<script>alert(1)</script> & "x"'
LINKY = "<a href='https://evil.example/'>click</a> <img src=http://x/p.png>"
CATALOG = (
    "schema = 1\n"
    + program_toml(
        "mon",
        institution=json.dumps(HOSTILE),
        name=json.dumps(HOSTILE),
        starts='"any-monday"',
        weeks="[4]",
        lead_time='{ recommended = "3 months" }',
    )
    + program_toml("linky", institution=json.dumps(LINKY), starts='"any-monday"', weeks="[4]")
)
PROFILE_FLAGS = (
    *("--stage", "graduate", "--graduation", "2025-06-30", "--citizenship", "IN"),
    *("--step1", "passed", "--step1-date", "2024-03-10", "--english-medium-school"),
)
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}
LOADING = {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source", "base"}
Run = Callable[..., Result]


class Page(HTMLParser):
    """Collect tags, attributes and text, and check that elements nest and close."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.errors: list[str] = []
        self.declarations: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def parsed(text: str, whole: bool = True) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert page.errors == []
    assert page.open == [], f"never closed: {page.open}"
    assert [d.lower() for d in page.declarations] == (["doctype html"] if whole else [])
    return page


@pytest.fixture
def usce(invoke: Invoke, write_catalog: WriteFile) -> Run:
    catalog = write_catalog(CATALOG)

    def go(*args: str, today: str = TODAY) -> Result:
        return invoke([*args, "--today", today, "--only-catalog", "--catalog", str(catalog)])

    return go


@pytest.fixture
def page_text(usce: Run, tmp_path: Path) -> str:
    for args in (
        ("profile", "init", *PROFILE_FLAGS),
        ("plan", "add", "mon", "--start", "2027-03-01"),
        ("plan", "add", "linky", "--start", "2027-10-04"),
        ("plan", "done", "mon@2027-03-01:letters-request", "--on", "2026-11-20"),
    ):
        result = usce(*args)
        assert result.exit_code == 0, result.output
    out = tmp_path / "plan.html"
    result = usce("export", "-o", str(out))
    assert result.exit_code == 3, result.output
    text = out.read_text(encoding="utf-8")
    assert usce("export", "--format", "html").stdout == text
    return text


@pytest.fixture
def example_text(invoke: Invoke, tmp_path: Path) -> str:
    out = tmp_path / "example.html"
    result = invoke(["export", "--example", "--today", TODAY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("which", ["page_text", "example_text"])
def test_the_page_is_self_contained(which: str, request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(which)
    page = parsed(text)
    assert not LOADING & set(page.tags)
    assert page.tags.count("svg") == 1
    assert page.tags.count("style") == 1
    assert text.index("<svg") > text.index("<body>")
    names = {name for name, _ in page.attributes}
    assert not names & {"src", "href", "srcset", "action", "formaction", "background", "style"}
    assert not any(name.startswith("on") for name in names)
    for name, value in page.attributes:
        assert "http" not in value.lower() or name == "http-equiv", (name, value)
        assert "url(" not in value
        assert "javascript:" not in value.lower()
    style = text[text.index("<style>") : text.index("</style>")]
    assert "url(" not in style
    assert "@import" not in style
    assert "http" not in style
    policy = [v for n, v in page.attributes if n == "content" and "default-src" in v]
    assert len(policy) == 1
    assert "default-src 'none'" in policy[0]
    assert ("http-equiv", "Content-Security-Policy") in page.attributes
    assert ("charset", "utf-8") in page.attributes


def test_catalog_text_appears_only_escaped(page_text: str) -> None:
    page = parsed(page_text)
    assert HOSTILE not in page_text
    assert LINKY not in page_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in page_text
    assert page.tags.count("a") == 0
    assert "script" not in page.tags
    text = "".join(page.text)
    assert f"Apply to {HOSTILE}" in text
    assert f"Apply to {LINKY}" in text
    assert text.count(HOSTILE) >= 9  # each of mon's steps, in the checklist and the picture
    # Text is the only place where "http" may appear: the catalog's own words, escaped.
    markup_only = re.sub(r">[^<]*<", "><", page_text)
    assert re.findall(r"http[^\s=]*", markup_only) == ["http-equiv"]


def test_the_checklist_and_the_picture_cover_the_plan(page_text: str, usce: Run) -> None:
    document = json.loads(usce("plan", "--json").stdout)
    svg = page_text[page_text.index("<svg") : page_text.index("</svg>")]
    page = parsed(svg + "</svg>", whole=False)
    live = [r for r in document["rotations"] if r["status"] not in ("rejected", "withdrawn")]
    assert page.tags.count("rect") == len(live) == 2
    steps = [m for m in document["milestones"] if m["kind"] != "rotation"]
    assert page.tags.count("circle") == len(steps)
    checklist = page_text[page_text.index("<h2>Checklist</h2>") :]
    rows = checklist.split("<tr>")[2:]
    assert len(rows) == len(document["milestones"])
    for row, milestone in zip(rows, document["milestones"], strict=True):
        assert f'<td class="day">{milestone["date"]}</td>' in row
        late = milestone["late_by_days"] and not milestone["id"].startswith("match-")
        assert (f"LATE by {milestone['late_by_days']} days" in row) == bool(late)
        assert ("&#9745;" in row) == bool(milestone["done"])
        if milestone["done"]:
            assert f"done {milestone['done']}" in row
    assert "LATE" in page_text
