"""Golden test (XlsxWriter style): the shipped templates are exactly what their definitions build.

After changing a form definition or the sample plan, rebuild them with
`python -m dxdesk.forms.templates templates_xlsx` and review the difference.
"""
import re
import zipfile
from pathlib import Path

import pytest

from dxdesk.forms.templates import FORM_EXAMPLE, PLAN_EXAMPLE, build_templates

SHIPPED = Path(__file__).parents[2] / "templates_xlsx"
_VOLATILE = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: _VOLATILE.sub(b"", archive.read(name)) for name in sorted(archive.namelist())}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("templates")
    build_templates(folder)
    return folder


@pytest.mark.parametrize("name", [PLAN_EXAMPLE, FORM_EXAMPLE])
def test_shipped_template_matches_its_definition(rebuilt, name):
    expected, got = parts(SHIPPED / name), parts(rebuilt / name)
    assert list(got) == list(expected)
    for part in expected:
        assert got[part] == expected[part], f"{name}: {part} differs — rebuild templates_xlsx"


def test_rulebook_doc_is_generated_from_the_catalogue():
    from dxdesk.rules.docs import render
    doc = Path(__file__).parents[2] / "docs" / "rulebook.md"
    assert doc.read_text(encoding="utf-8") == render(), "rebuild: python -m dxdesk.rules.docs docs/rulebook.md"
