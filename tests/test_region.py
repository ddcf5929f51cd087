"""The region file: the real config/region.toml, theme matching, and invalid files."""

from __future__ import annotations

from pathlib import Path

import pytest

from agenda.errors import ConfigError
from agenda.region import load_region, normalize_keyword

REGION_FILE = Path(__file__).resolve().parent.parent / "config" / "region.toml"


@pytest.fixture(scope="module")
def region():
    return load_region(REGION_FILE)


def test_real_region_file_describes_centre_val_de_loire(region):
    assert region.name == "Centre-Val de Loire"
    assert region.timezone == "Europe/Paris"
    assert region.zone.key == "Europe/Paris"
    assert [d.code for d in region.departments] == ["18", "28", "36", "37", "41", "45"]


@pytest.mark.parametrize("code, name, prefecture", [
    ("18", "Cher", "Bourges"),
    ("28", "Eure-et-Loir", "Chartres"),
    ("36", "Indre", "Châteauroux"),
    ("37", "Indre-et-Loire", "Tours"),
    ("41", "Loir-et-Cher", "Blois"),
    ("45", "Loiret", "Orléans"),
])
def test_department_lookup(region, code, name, prefecture):
    department = region.department(code)
    assert (department.name, department.prefecture) == (name, prefecture)


def test_department_outside_the_region_is_none(region):
    assert region.department("75") is None


def test_every_theme_has_labels_and_keywords(region):
    assert len(region.themes) >= 12
    for theme in region.themes:
        assert theme.label_fr and theme.label_en and theme.keywords


@pytest.mark.parametrize("categories, expected", [
    (["Réemploi"], ["reemploi"]),
    (["repair cafe"], ["reemploi"]),
    (["REPAIR CAFÉ"], ["reemploi"]),
    (["Atelier Repair Cafés"], ["reemploi"]),
    (["Ressourceries"], ["reemploi"]),
    (["Circuits courts"], ["alimentation"]),
    (["Tiers-lieux"], ["tiers-lieux"]),
    (["SCOP"], ["entrepreneuriat-social"]),
    (["Mois de l’ESS 2026"], ["mois-ess"]),
    (["Mois de l'ESS", "Réemploi"], ["reemploi", "mois-ess"]),
    (["Finance solidaire"], ["finance-solidaire"]),
    (["Housing"], ["habitat"]),
    (["Divers", ""], []),
    ([], []),
])
def test_themes_for_matches_keywords_ignoring_accents_and_case(region, categories, expected):
    assert region.themes_for(categories) == expected


def test_keyword_needs_whole_words(region):
    assert region.themes_for(["Caféine"]) == []
    assert region.themes_for(["vélorution"]) == []


def test_normalize_keyword():
    assert normalize_keyword("Repair Cafés !") == "repair cafe"
    assert normalize_keyword("Mois de l’ESS") == normalize_keyword("mois de l'ess")


def test_missing_file_raises_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found") as info:
        load_region(tmp_path / "nowhere.toml")
    assert info.value.code == "config.missing"


def test_broken_toml_raises_config_error(tmp_path):
    path = tmp_path / "region.toml"
    path.write_text('[region\nname = "Centre-Val de Loire"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_region(path)


VALID = """
[region]
name = "Bretagne"
code = "53"
timezone = "Europe/Paris"

[[departments]]
code = "29"
name = "Finistère"
prefecture = "Quimper"

[[themes]]
slug = "reemploi"
label_fr = "Réemploi"
label_en = "Reuse"
keywords = ["recyclerie"]
"""


def test_another_region_can_bring_its_own_file(tmp_path):
    path = tmp_path / "bretagne.toml"
    path.write_text(VALID, encoding="utf-8")
    region = load_region(path)
    assert region.name == "Bretagne"
    assert region.department("29").prefecture == "Quimper"


@pytest.mark.parametrize("change, message", [
    (('timezone = "Europe/Paris"', 'timezone = "Europe/Atlantis"'), "unknown time zone"),
    (('code = "29"', 'code = "Finistère"'), "not a French department code"),
    (('name = "Bretagne"\n', ""), "'name' must be a non-empty string"),
    (('slug = "reemploi"', 'slug = "Réemploi"'), "slug"),
    (('keywords = ["recyclerie"]', 'keywords = "recyclerie"'), "keywords"),
    (("[region]", "[regions]"), r"\[region\] table is required"),
    (("[[departments]]", "[[department]]"), r"\[\[departments\]\]"),
])
def test_invalid_content_raises_config_error_naming_the_problem(tmp_path, change, message):
    path = tmp_path / "region.toml"
    path.write_text(VALID.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_region(path)


def test_duplicate_department_is_refused(tmp_path):
    path = tmp_path / "region.toml"
    department = VALID[VALID.index("[[departments]]"):VALID.index("[[themes]]")]
    path.write_text(VALID + department, encoding="utf-8")
    with pytest.raises(ConfigError, match="duplicate department code '29'"):
        load_region(path)
