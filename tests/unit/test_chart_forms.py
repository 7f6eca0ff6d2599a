"""A chart is shown once, in vector form; each format takes the form it draws (helpers.document.render
``CHART_FORM``), and the Word copy's PNG is drawn from that SVG when a Word copy is rendered
(helpers.document.raster)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from helpers.data.dataset import load_dataset
from helpers.document.raster import png_of
from helpers.document.render import draw_pictures, keep_chart_form
from helpers.errors import RenderError
from helpers.model.charts import DPI
from helpers.model.sectionview import SectionView

from ..conftest import DATA


@pytest.fixture(scope="module")
def shown() -> dict:
    """What a section notebook's chart cell shows (its data; the metadata says what it is drawn from)."""
    data, _ = SectionView(load_dataset(DATA, "taoyuan", 2024), "s3-4").figure()._repr_mimebundle_()
    return data


def test_a_chart_is_shown_in_vector_form_only(shown):
    assert set(shown) == {"image/svg+xml"} and "<path" in shown["image/svg+xml"]


def test_the_word_copys_picture_is_the_chart_at_print_resolution_and_its_own_width(shown):
    svg = shown["image/svg+xml"]
    png = Image.open(io.BytesIO(png_of(svg)))
    width_pt = float(svg.split('width="', 1)[1].split("pt", 1)[0])
    assert abs(png.width - width_pt / 72 * DPI) <= 1  # 4.5 in at 200 dpi: 900 px
    assert round(png.info["dpi"][0]) == DPI  # pandoc sets it at 4.5 in, not at 96 dpi's 9.4 in
    dark = sum(png.convert("L").histogram()[:128])
    assert dark > 0.02 * png.width * png.height  # bars and labels drawn, not a blank page


@pytest.mark.parametrize(
    "reference",
    ['<image href="/etc/hostname" width="10" height="10"/>', '<image xlink:href="http://example.com/a.png"/>', '<rect style="fill:url(/x.svg#p)"/>'],
)
def test_an_svg_that_reaches_outside_itself_is_not_drawn(reference, tmp_path):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20pt" height="20pt">{reference}</svg>'
    with pytest.raises(RenderError, match="外部文件"):
        png_of(svg, "fig-x")


def _staged(stage: Path, shown: dict) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("#| label: fig-a\nfig")
    cell.outputs = [nbformat.v4.new_output("display_data", data=dict(shown))]
    nb.cells = [cell]
    (stage / "notebooks").mkdir(parents=True)
    path = stage / "notebooks" / "section-a.ipynb"
    nbformat.write(nb, path)
    return path


def _forms(path: Path) -> set[str]:
    return set(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["outputs"][0]["data"])


def test_each_format_rendered_in_turn_takes_its_own_form_of_the_chart(shown, tmp_path):
    path = _staged(tmp_path, shown)
    keep_chart_form(tmp_path, "html")
    assert _forms(path) == {"image/svg+xml"}
    keep_chart_form(tmp_path, "docx")
    assert _forms(path) == {"image/png"}
    data = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["outputs"][0]["data"]
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
    keep_chart_form(tmp_path, "pdf")  # Typst draws the vector form again
    assert _forms(path) == {"image/svg+xml"}
    keep_chart_form(tmp_path, "docx")
    assert _forms(path) == {"image/png"}


def test_the_builtin_word_copy_finds_a_picture_beside_each_charts_svg(shown, tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "fig-a.svg").write_text(shown["image/svg+xml"], encoding="utf-8")
    given = figures / "fig-b.png"
    (figures / "fig-b.svg").write_text(shown["image/svg+xml"], encoding="utf-8")
    given.write_bytes(b"\x89PNG the notebook's own")
    draw_pictures(figures)
    assert (figures / "fig-a.png").read_bytes().startswith(b"\x89PNG\r\n")
    assert given.read_bytes() == b"\x89PNG the notebook's own"  # a notebook's own PNG is kept
