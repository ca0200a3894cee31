"""The skin model: sourced data, needle geometry, layer lookup, verdicts and drill rows."""

from __future__ import annotations

import itertools
import json
import math
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.content.bibliography import read_references
from course.paths import ROOT
from course.quiz.attempts import Attempts
from course.simulator.drills import SIMULATOR_QUIZ, drill_rows
from course.simulator.geometry import MissingThickness, SkinInputError, Verdict, classify, layer_at_depth, needle_depth
from course.simulator.loading import SKIN_MODEL_PATH, layer_choices, load_skin_model, read_skin_model
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES

MODEL = load_skin_model()
RULE = MODEL.data.general.drill_scoring
DRAWABLE = [r for r in MODEL.region_ids if MODEL.has_profile(r)]
angles = st.floats(min_value=0, max_value=90, allow_nan=False)
lengths = st.floats(min_value=0, max_value=13, allow_nan=False)


# --- the data: numbers as the reference gives them ---------------------------------------------


def test_meng_2022_female_dermis_values_are_the_drawn_thicknesses():
    expected = {"forehead": 0.86, "cheek": 0.87, "eyelid": 0.58, "jawline": 0.91, "neck": 0.99}
    for region, dermis in expected.items():
        band = MODEL.profile(region).band("dermis")
        assert band.thickness_mm == pytest.approx(dermis)
        assert band.measurement.method == "hfus"
        assert band.measurement.sources == ("meng-2022",)


def test_forehead_fat_is_iyengar_and_muscle_below_is_open():
    profile = MODEL.profile("forehead")
    assert [b.id for b in profile.bands] == ["epidermis", "dermis", "hypodermis", "muscle"]
    assert profile.band("hypodermis").thickness_mm == 2
    assert profile.band("hypodermis").measurement.sources == ("iyengar-2018",)
    assert profile.open_band.id == "muscle"


def test_regions_without_sourced_thickness_say_so_and_are_never_drawn():
    for region in ("scalp", "buttock", "abdomen", "thigh"):
        with pytest.raises(MissingThickness) as caught:
            MODEL.profile(region)
        message = str(caught.value)
        assert message == MODEL.region(region).no_profile  # the data file's own reason, word for word
        assert message.startswith("No ") and region in message.lower()
    assert "thickest dermal measurements at the abdomen and thighs" in MODEL.region("abdomen").no_profile
    skin, follicles = MODEL.region("scalp").landmarks[:2]
    assert (skin.low, skin.high, skin.sources) == (1.71, 1.93, ("sung-scalp",))
    assert (follicles.low, follicles.high) == (4, 7)


def test_every_number_carries_a_known_source():
    ids = set(MODEL.data.sources)
    for technique in MODEL.data.techniques:
        for _, _, claim in technique.claims():
            assert set(claim.sources) <= ids
    for region in MODEL.data.regions:
        for amount in [*region.bands.values(), *region.other, *region.landmarks]:
            assert amount.sources, f"{region.id}: {amount}"
            assert set(amount.sources) <= ids


def test_disagreeing_technique_ranges_are_all_kept_with_their_source():
    papule = {(c.low, c.high, c.value): c.sources for c in MODEL.technique("papule").depth}
    assert papule == {
        (1, 2, None): ("beautytrainingportal",),
        (1.5, 2, None): ("mesoderm-es",),
        (None, None, 2): ("hamida-pisal-2018",),
    }
    pbp = [c.label("mm") for c in MODEL.technique("point-by-point").depth]
    assert {"4 mm", "4–12 mm", "deep dermis", "up to 10 mm"} == set(pbp)
    assert MODEL.technique("nappage").angle[0].label("°") == "30–60°"


def test_layer_choices_are_the_quiz_layer_ids():
    assert [i for i, _ in layer_choices("scalp")] == [
        "epidermis",
        "papillary-dermis",
        "reticular-dermis",
        "hypodermis",
        "muscle",
    ]
    with pytest.raises(ValueError, match="Known body regions"):
        layer_choices("elbow")


# --- geometry ------------------------------------------------------------------------------------


def test_micheels_example():
    assert needle_depth(30, 5) == pytest.approx(2.5)
    assert needle_depth(30, 8) == pytest.approx(4.0)
    assert needle_depth(90, 4) == 4
    assert needle_depth(0, 13) == 0


@given(angle=angles, a=lengths, b=lengths)
def test_depth_grows_with_length(angle, a, b):
    short, long = sorted((a, b))
    assert needle_depth(angle, short) <= needle_depth(angle, long) + 1e-12


@given(length=lengths, a=angles, b=angles)
def test_depth_grows_with_angle_up_to_90(length, a, b):
    low, high = sorted((a, b))
    assert needle_depth(low, length) <= needle_depth(high, length) + 1e-12


@given(angle=angles, length=lengths)
def test_depth_is_never_more_than_the_inserted_length(angle, length):
    assert 0 <= needle_depth(angle, length) <= length + 1e-12


@pytest.mark.parametrize(
    ("angle", "length", "message"),
    [
        (-1, 4, "between 0°"),
        (91, 4, "between 0°"),
        (float("nan"), 4, "number of degrees"),
        ("45", 4, "number of degrees"),
        (45, -0.5, "cannot be negative"),
        (45, float("inf"), "number of millimetres"),
    ],
)
def test_bad_needle_input_gets_a_clear_message(angle, length, message):
    with pytest.raises(SkinInputError, match=message):
        needle_depth(angle, length)


def test_absurd_length_is_refused_against_the_longest_sourced_needle():
    assert MODEL.max_length_mm == 13
    with pytest.raises(SkinInputError, match="longest mesotherapy needle"):
        MODEL.assess("forehead", "papule", 30, 40)


# --- layers at a depth ---------------------------------------------------------------------------


@pytest.mark.parametrize("region", DRAWABLE)
def test_bands_are_contiguous_from_the_surface(region):
    bands = MODEL.profile(region).bands
    assert bands[0].top_mm == 0
    for upper, lower in itertools.pairwise(bands):
        assert lower.top_mm == upper.bottom_mm
    assert all(b.bottom_mm is not None for b in bands[:-1])


@settings(max_examples=300)
@given(region=st.sampled_from(DRAWABLE), fraction=st.floats(min_value=0, max_value=1.5))
def test_every_depth_maps_to_exactly_one_band(region, fraction):
    profile = MODEL.profile(region)
    depth = fraction * profile.known_depth_mm
    holding = [b for b in profile.bands if b.contains(depth)]
    assert len(holding) == 1
    assert layer_at_depth(profile, depth) == holding[0]


@pytest.mark.parametrize("region", DRAWABLE)
def test_a_depth_on_a_boundary_belongs_to_the_upper_band(region):
    profile = MODEL.profile(region)
    for upper, lower in itertools.pairwise(profile.bands):
        assert layer_at_depth(profile, upper.bottom_mm).id == upper.id
        assert layer_at_depth(profile, upper.bottom_mm + 1e-9).id == lower.id
    assert layer_at_depth(profile, 0).id == "epidermis"


def test_layer_at_depth_refuses_negative_depths():
    with pytest.raises(SkinInputError, match="0 or more"):
        layer_at_depth(MODEL.profile("neck"), -0.1)


# --- verdicts ------------------------------------------------------------------------------------


def test_verdicts_and_distances_on_the_forehead():
    on = MODEL.assess("forehead", "papule", 10, 4)
    assert (on.verdict, on.band.id, on.distance_mm, on.score) == (Verdict.ON_TARGET, "dermis", 0, 1)
    assert on.headline == "On target — you are in the dermis."
    deep = MODEL.assess("forehead", "papule", 45, 4)
    assert deep.verdict is Verdict.TOO_DEEP and deep.band.id == "hypodermis"
    assert deep.distance_mm == pytest.approx(needle_depth(45, 4) - 0.9061)
    assert deep.headline.startswith("Too deep by 1.92 mm — you are in the hypodermis")
    assert any("metabolised" in r.text for r in deep.reasons)  # why it matters, from Alli 2020
    shallow = MODEL.assess("forehead", "papule", 1, 2)  # 0.035 mm: inside the 0.046 mm histological epidermis
    assert shallow.verdict is Verdict.TOO_SHALLOW and shallow.band.id == "epidermis"
    assert shallow.distance_mm == pytest.approx(0.0461 - needle_depth(1, 2))


def test_needle_on_the_surface_has_not_entered_the_skin():
    placed = MODEL.assess("cheek", "intra-epidermal", 0, 4)
    assert placed.band is None and placed.verdict is Verdict.TOO_SHALLOW and placed.score == 0
    assert "not entered the skin" in placed.headline


def test_muscle_and_deep_reasons_appear_only_when_they_apply():
    muscle = MODEL.assess("forehead", "nappage", 90, 5)
    whens = {r.when for r in muscle.reasons}
    assert {"below-hypodermis", "deeper-than-max", "too-deep"} <= whens
    cheek = MODEL.assess("cheek", "papule", 90, 5)
    assert "below-hypodermis" not in {r.when for r in cheek.reasons}  # no muscle band: its depth is not sourced


def test_longer_than_the_technique_needle_gets_a_note():
    placed = MODEL.assess("neck", "papule", 5, 6)
    assert any("longest needle the sources give for papule (4 mm)" in n for n in placed.notes)


@settings(max_examples=300)
@given(region=st.sampled_from(DRAWABLE), technique=st.sampled_from(MODEL.technique_ids), angle=angles, length=lengths)
def test_verdict_agrees_with_the_band_and_the_distance(region, technique, angle, length):
    placed = MODEL.assess(region, technique, angle, length)
    assert placed.distance_mm >= 0 and 0 <= placed.score <= 1
    if placed.band is not None:
        in_target = placed.band.id in placed.technique.target.bands
        assert (placed.verdict is Verdict.ON_TARGET) == in_target
        assert (placed.distance_mm == 0) == in_target
        assert classify(placed.depth_mm, placed.target) == (placed.verdict, placed.distance_mm)


def test_unknown_region_or_technique():
    with pytest.raises(SkinInputError, match="Unknown body region 'knee'"):
        MODEL.assess("knee", "papule", 30, 4)
    with pytest.raises(SkinInputError, match="Unknown technique 'botox'"):
        MODEL.assess("neck", "botox", 30, 4)
    with pytest.raises(MissingThickness, match="scalp"):
        MODEL.assess("scalp", "nappage", 30, 4)


# --- drills --------------------------------------------------------------------------------------


def test_every_drill_is_playable():
    for drill in MODEL.data.drills:
        assert MODEL.has_profile(drill.region)
        MODEL.assess(drill.region, drill.technique, 30, 2)


def test_drill_rows_match_the_results_tables(tmp_path: Path):
    drill = MODEL.data.drills[0]
    placed = MODEL.assess(drill.region, drill.technique, 45, 4)
    attempt, response = drill_rows(
        placed,
        drill,
        learner="ada",
        started="2026-01-01T00:00:00+00:00",
        submitted="2026-01-01T00:01:00+00:00",
        version=MODEL.version,
        attempt_id="abc",
        scoring=RULE,
    )
    assert set(attempt) == set(ATTEMPTS.columns) and set(response) == set(RESPONSES.columns)
    assert attempt["quiz"] == SIMULATOR_QUIZ and attempt["bank_version"] == f"skin-model-{MODEL.version}"
    assert response["question_id"] == f"drill-{drill.technique}-{drill.region}"
    answer = json.loads(response["answer"])
    assert answer["layer"] == "hypodermis" and answer["angle"] == 45 and answer["length_mm"] == 4
    assert math.isclose(answer["distance_mm"], placed.distance_mm, abs_tol=1e-3)
    store = Store(tmp_path)
    attempt_id = Attempts(store).record_drill(
        placed, drill, learner="ada", started=attempt["started"], version=1, scoring=RULE
    )
    stored = store.read(ATTEMPTS).frame
    assert list(stored["attempt_id"]) == [attempt_id] and stored["passed"].iloc[0] == "false"
    assert stored["submitted"].iloc[0].endswith("+00:00")
    assert list(store.read(RESPONSES).frame["question_id"]) == [drill.id]


def test_a_drill_is_stored_once_through_the_attempt_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Drills share the quizzes' commit: an attempt id already stored is refused, not stored twice."""
    from course.quiz import attempts as attempts_module

    drill = MODEL.data.drills[0]
    placed = MODEL.assess(drill.region, drill.technique, 45, 4)
    store = Store(tmp_path)
    monkeypatch.setattr(attempts_module.uuid, "uuid4", lambda: uuid.UUID(int=7))
    book = Attempts(store)
    book.record_drill(placed, drill, learner="ada", started="2026-01-01T00:00:00+00:00", version=1, scoring=RULE)
    with pytest.raises(attempts_module.AlreadySubmitted):
        book.record_drill(placed, drill, learner="ada", started="2026-01-01T00:00:00+00:00", version=1, scoring=RULE)
    assert len(store.read(ATTEMPTS).frame) == 1 and len(store.read(RESPONSES).frame) == 1


# --- the data file is validated with line numbers ------------------------------------------------


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SKIN_MODEL_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "skin_model.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "line_with", "message"),
    [
        pytest.param(
            "dermis: {value: 0.87, method: hfus, sources: [meng-2022]",
            "dermis: {value: 0.87, method: hfus, sources: [meng2023]",
            "meng2023",
            "unknown reference key 'meng2023'",
            id="unknown-source",
        ),
        pytest.param(
            "low: 1.1, high: 1.5,",
            "low: 1.5, high: 1.1,",
            "low: 1.5, high: 1.1",
            "low (1.5) is above high (1.1)",
            id="range-upside-down",
        ),
        pytest.param(
            "{technique: nappage, region: forehead}",
            "{technique: nappage, region: scalp}",
            "region: scalp}",
            "cannot be scored",
            id="drill-in-a-region-without-thickness",
        ),
    ],
)
def test_a_bad_value_is_reported_once_on_its_line(tmp_path, old, new, line_with, message):
    path = _broken(tmp_path, old, new)
    model, problems = read_skin_model(path)
    assert model is None
    assert [p.line for p in problems] == [_line_of(path, line_with)]
    assert message in problems[0].message


def test_yaml_syntax_error_names_its_line(tmp_path):
    path = _broken(tmp_path, "  - id: neck\n", "  - id: neck\n  oops: [\n")
    _, problems = read_skin_model(path)
    assert len(problems) == 1 and problems[0].message.startswith("invalid YAML")
    assert problems[0].line is not None


def test_negative_thickness_is_refused(tmp_path):
    path = _broken(tmp_path, "dermis: {value: 0.58,", "dermis: {value: -0.58,")
    _, problems = read_skin_model(path)
    assert problems and "not negative" in problems[0].message


def test_the_skin_model_cites_the_course_bibliography_by_key():
    """Short citations and links come from lessons/references.yaml: one description per work."""
    model = load_skin_model()
    bibliography = read_references(ROOT / "lessons")
    dermis = model.profile("forehead").band("dermis").measurement
    assert dermis is not None and dermis.sources == ("meng-2022",)
    assert model.short_cite(dermis.sources) == bibliography.entries["meng-2022"].short
    assert model.source("meng-2022").url == bibliography.entries["meng-2022"].link
    assert set(model.data.sources) <= set(bibliography.entries)


def test_a_source_registry_in_the_skin_model_is_refused_on_its_line(tmp_path):
    path = tmp_path / "skin_model.yaml"
    text = SKIN_MODEL_PATH.read_text(encoding="utf-8")
    path.write_text(text.replace("version: 2\n", "version: 2\nsources:\n  x: {short: X, cite: X}\n", 1))
    model, problems = read_skin_model(path)
    assert model is None
    registry_line = path.read_text().splitlines().index("sources:") + 1
    assert [p.line for p in problems] == [registry_line]
    assert "lessons/references.yaml" in problems[0].message


def test_a_key_missing_from_the_bibliography_is_an_error(tmp_path):
    """Resolved against the bibliography given: a folder without meng-2022 refuses the model."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    full = (ROOT / "lessons" / "references.yaml").read_text(encoding="utf-8")
    entries = full.split("\n- id: ")
    kept = [e for e in entries if not e.startswith("meng-2022\n")]
    assert len(kept) == len(entries) - 1
    (folder / "references.yaml").write_text("\n- id: ".join(kept), encoding="utf-8")
    model, problems = read_skin_model(SKIN_MODEL_PATH, folder)
    assert model is None and problems
    assert all("unknown reference key 'meng-2022'" in p.message and p.line for p in problems)


def test_product_specific_consequences_follow_the_product_named():
    model = load_skin_model()
    unnamed = model.assess("forehead", "papule", 45, 4)
    ha = model.assess("forehead", "papule", 45, 4, product="non-cross-linked-ha")
    pc = model.assess("forehead", "papule", 45, 4, product="phosphatidylcholine")
    texts = {name: " ".join(r.text for r in p.reasons) for name, p in (("none", unnamed), ("ha", ha), ("pc", pc))}
    assert "metabolised" in texts["none"] and "metabolised" in texts["ha"]
    assert "metabolised" not in texts["pc"]
    assert unnamed.verdict == ha.verdict == pc.verdict  # the product never changes where the tip is
    shallow_pc = model.assess("forehead", "point-by-point", 2, 1, product="phosphatidylcholine")
    assert "necrosis" in " ".join(r.text for r in shallow_pc.reasons)
    shallow_ha = model.assess("forehead", "point-by-point", 2, 1, product="non-cross-linked-ha")
    assert "necrosis" not in " ".join(r.text for r in shallow_ha.reasons)


def test_an_unknown_product_is_refused():
    with pytest.raises(SkinInputError, match="product"):
        load_skin_model().assess("forehead", "papule", 45, 4, product="botox")


def test_a_consequence_naming_an_unknown_product_is_reported_on_its_line(tmp_path):
    path = _broken(tmp_path, "products: [non-cross-linked-ha]", "products: [cross-linked-ha]")
    model, problems = read_skin_model(path)
    assert model is None
    assert [p.line for p in problems] == [_line_of(path, "products: [cross-linked-ha]")]
    assert "unknown product 'cross-linked-ha'" in problems[0].message
