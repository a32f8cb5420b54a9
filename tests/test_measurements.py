"""Reading and validating measurement files: every bad input names the field and the fix."""

import pytest

from avatar.errors import MeasurementError
from avatar.measurements import MEASUREMENTS, parse_csv, parse_profile_json, validate


def test_every_issue_measurement_is_supported():
    wanted = {"stature", "chest_girth", "underbust_girth", "waist_girth", "hip_girth", "neck_girth",
              "shoulder_breadth", "arm_length", "upper_arm_girth", "wrist_girth", "inside_leg_height",
              "thigh_girth", "calf_girth", "ankle_girth", "body_mass"}
    assert wanted <= set(MEASUREMENTS)


def test_inches_and_pounds_become_cm_and_kg():
    got = validate({"stature": 65, "waist_girth": 30, "body_mass": 150}, units="in")
    assert got["stature"] == pytest.approx(165.1)
    assert got["waist_girth"] == pytest.approx(76.2)
    assert got["body_mass"] == pytest.approx(68.04, abs=0.01)


@pytest.mark.parametrize("values, words", [
    ({"stature": -170}, ["stature", "positive"]),
    ({"stature": float("nan")}, ["stature", "finite", "120-220 cm"]),
    ({"stature": "tall"}, ["stature", "not a number", "120-220 cm"]),
    ({"stature": 170, "waist": 70}, ["waist", "waist_girth"]),
    ({"stature": 400}, ["stature", "120-220 cm"]),
    ({"chest_girth": 90}, ["stature is required"]),
    ({"stature": 170, "neck_girth": True}, ["neck_girth", "number"]),
])
def test_bad_values_name_the_field_and_the_range(values, words):
    with pytest.raises(MeasurementError) as err:
        validate(values)
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_ranges_in_inches_are_readable():
    with pytest.raises(MeasurementError, match=r"47\.2-86\.6 in"):
        validate({"stature": 100}, units="in")


def test_profile_json_forms():
    rec = parse_profile_json('{"name": "Anna", "sex": "F", "measurements": {"stature": 165}}')
    assert rec.id == "Anna" and rec.sex == "female" and rec.values == {"stature": 165.0}
    flat = parse_profile_json('{"stature": 180, "chest_girth": 100}', default_id="x")
    assert flat.id == "x" and flat.sex is None
    with pytest.raises(MeasurementError, match="not valid JSON"):
        parse_profile_json("{stature: 1")
    with pytest.raises(MeasurementError, match="schema_version 99"):
        parse_profile_json('{"schema_version": 99, "measurements": {"stature": 165}}')
    with pytest.raises(MeasurementError, match="sex 'robot'"):
        parse_profile_json('{"sex": "robot", "measurements": {"stature": 165}}')


def test_csv_rows_and_errors():
    recs = parse_csv("id,sex,stature,waist_girth\na,female,160,70\nb,,180,\n")
    assert [r.id for r in recs] == ["a", "b"]
    assert recs[1].values == {"stature": 180.0} and recs[1].sex is None
    with pytest.raises(MeasurementError, match="line 3: waist_girth"):
        parse_csv("stature,waist_girth\n160,70\n170,-5\n")
    with pytest.raises(MeasurementError, match="no 'stature' column"):
        parse_csv("waist_girth\n70\n")
    with pytest.raises(MeasurementError, match="hip_girth"):
        parse_csv("stature,hips\n160,90\n")
    with pytest.raises(MeasurementError, match="appears twice"):
        parse_csv("id,stature\na,160\na,170\n")
    with pytest.raises(MeasurementError, match="no bodies"):
        parse_csv("stature\n")


@pytest.mark.parametrize("text,message", [
    ('{"measurements": {"stature": ' + "9" * 400 + "}}", "digits"),
    ('{"measurements": {"stature": 1e400}}', "too large"),
    ('{"measurements": {"stature": -1e400}}', "too large"),
    ('{"measurements": {"stature": Infinity}}', "not a number"),
    ('{"measurements": ' + "[" * 3000 + "]" * 3000 + "}", "nests deeper"),
    ('{"measurements": ' + "{\"a\": " * 3000 + "1" + "}" * 3000 + "}", "nests deeper"),
])
def test_hostile_json_numbers_and_nesting_are_one_line(text, message):
    with pytest.raises(MeasurementError, match=message) as info:
        parse_profile_json(text)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_huge_values_given_directly_or_in_a_csv_are_refused():
    with pytest.raises(MeasurementError, match="stature: a 401-digit number is not a finite number"):
        validate({"stature": 10 ** 400})
    with pytest.raises(MeasurementError, match="a 5001-digit number"):
        validate({"stature": 10 ** 5000})
    with pytest.raises(MeasurementError, match="not a finite number"):
        parse_csv("stature\n" + "9" * 500 + "\n")
    with pytest.raises(MeasurementError, match="not a finite number"):
        parse_csv("stature\n1e400\n")


def test_every_adult_of_the_survey_is_accepted_with_a_margin():
    # the survey's extremes per sex, as the project's copy of the ANSUR II statistics gives them
    import json
    from pathlib import Path

    stats = json.loads((Path(__file__).parent.parent / "avatar" / "data" / "body_statistics.json").read_text())
    margin = 0.10
    for sex, table in stats["sexes"].items():
        for name, low, high in zip(stats["names"], table["min"], table["max"]):
            spec = MEASUREMENTS[name]
            assert spec.low <= low * (1 - margin) and high * (1 + margin) <= spec.high, (sex, name, low, high)
    validate({"stature": 170, "ankle_girth": 15.6})  # the thinnest ankle of the survey, once refused
