"""The territory's charts: well-formed SVG a screen reader can name, every label escaped, zero
values and empty data drawn without failing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from agenda.territory.charts import Bar, Pair, columns, horizontal_bars, paired_bars

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def bar_widths(root: ET.Element, along: str = "width") -> list[float]:
    """The lengths of the bars (the legend's swatch left out)."""
    return [float(r.get(along)) for r in root.iter(f"{SVG}rect")
            if r.get("fill") == "#1f4e79" and r.get("y") != "4"]


def draw(kind: str, labels_values: list[tuple[str, int]], **extra) -> Markup:
    common = {"chart_id": "test", "title": "Events by theme",
              "description": "How many events each theme holds.", **extra}
    if kind == "pairs":
        return paired_bars([Pair(label, value, value // 2) for label, value in labels_values],
                           current_label="2026", previous_label="2025", **common)
    bars = [Bar(label, value) for label, value in labels_values]
    return (horizontal_bars if kind == "bars" else columns)(bars, **common)


@pytest.mark.parametrize("kind", ["bars", "columns", "pairs"])
def test_a_chart_is_an_image_named_by_its_title_and_description(kind):
    chart = draw(kind, [("Réemploi", 12), ("Alimentation", 3)])
    assert isinstance(chart, Markup)
    root = parsed(chart)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "test-title test-desc"
    assert root.find(f"{SVG}title").text == "Events by theme"
    assert root.find(f"{SVG}title").get("id") == "test-title"
    assert root.find(f"{SVG}desc").text == "How many events each theme holds."
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 480 ")


def test_horizontal_bars_write_each_label_and_number_and_scale_to_the_largest():
    root = parsed(draw("bars", [("Réemploi", 12), ("Alimentation", 3), ("Culture", 1200)]))
    assert texts(root) == ["Réemploi", "12", "Alimentation", "3", "Culture", "1\u202f200"]
    widths = bar_widths(root)
    assert widths[2] == max(widths) and widths[0] == pytest.approx(widths[2] * 12 / 1200, abs=1)


def test_columns_write_the_month_and_its_year_below_and_the_number_above():
    chart = columns([Bar("nov.", 4, "2026"), Bar("déc.", 0), Bar("janv.", 8, "2027")],
                    chart_id="months", title="t", description="d")
    root = parsed(chart)
    assert texts(root) == ["4", "nov.", "2026", "0", "déc.", "8", "janv.", "2027"]
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect")]
    assert heights[1] == 0 and heights[2] == 2 * heights[0]


def test_paired_bars_tell_the_editions_apart_by_fill_and_legend_not_colour_alone():
    root = parsed(draw("pairs", [("Indre", 0), ("Loiret", 10)]))
    assert texts(root)[:2] == ["2026", "2025"]
    assert texts(root)[2:] == ["Indre", "0", "0", "Loiret", "10", "5"]
    hatched = [r for r in root.iter(f"{SVG}rect") if (r.get("fill") or "").startswith("url(#")]
    assert len(hatched) == 2  # the legend's and Loiret's previous edition (Indre's is zero)
    assert root.find(f"{SVG}defs/{SVG}pattern").get("id") == "test-hatch"


@pytest.mark.parametrize("kind", ["bars", "columns", "pairs"])
def test_every_label_is_escaped(kind):
    hostile = '<script>alert("x")</script> & "quotes" </text><a href="javascript:x">'
    chart = draw(kind, [(hostile, 3)], title="</title><script>1</script>",
                 description="a < b & c")
    text = str(chart)
    assert "<script" not in text and "<a " not in text
    root = parsed(chart)  # still well-formed
    assert hostile in texts(root)
    assert root.find(f"{SVG}title").text == "</title><script>1</script>"


def test_an_id_from_outside_cannot_break_out_of_its_attribute():
    chart = horizontal_bars([Bar("a", 1)], chart_id='x" onload="alert(1)', title="t",
                            description="d")
    root = parsed(chart)
    assert root.get("onload") is None
    assert re.fullmatch(r"[a-z0-9_-]+", root.get("id"))


@pytest.mark.parametrize("kind", ["bars", "columns", "pairs"])
def test_only_zero_values_draw_empty_bars_with_their_zero(kind):
    root = parsed(draw(kind, [("Cher", 0), ("Indre", 0)]))
    assert "0" in texts(root) and "Cher" in texts(root)
    lengths = bar_widths(root, "height" if kind == "columns" else "width")
    assert len(lengths) == 2 and all(length == 0 for length in lengths)


@pytest.mark.parametrize("kind", ["bars", "columns", "pairs"])
def test_no_data_at_all_says_so(kind):
    root = parsed(draw(kind, [], empty="Aucune donnée"))
    assert "Aucune donnée" in texts(root)
    assert root.get("role") == "img"


def test_a_long_edition_name_is_cut_in_the_legend_to_stay_inside_the_drawing():
    long = "Tous les évènements des mêmes dates un an plus tôt, du dimanche 1er novembre"
    root = parsed(paired_bars([Pair("Cher", 1, 0)], chart_id="c", title="t", description="d",
                              current_label="Mois de l'ESS 2026", previous_label=long))
    legend = texts(root)[:2]
    assert legend[0] == "Mois de l'ESS 2026"
    assert legend[1].endswith("…") and len(legend[1]) <= 48 and long.startswith(legend[1][:-1])
