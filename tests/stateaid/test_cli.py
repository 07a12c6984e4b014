"""The check-project command: exit 0 without error flags, 1 with, 2 for an invalid file."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from synergy_app.stateaid.cli import check_project_command


def _write(tmp_path, data, name="project.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True) if name.endswith(".yaml") else json.dumps(data),
                    encoding="utf-8")
    return str(path)


def test_clean_project_exits_0_with_a_swedish_report(tmp_path, example):
    result = CliRunner().invoke(check_project_command, [_write(tmp_path, example)])
    assert result.exit_code == 0, result.output
    assert "Statsstödskontroll" in result.output
    # The ruleset by its name in the report's language, never by its file key.
    assert "Allmänna gruppundantagsförordningen (EU) nr 651/2014" in result.output
    assert "gber-651-2014-as-amended-2023-1315" not in result.output


def test_error_flag_exits_1_and_json_names_the_flag(tmp_path, example):
    example["funding"][2]["amount_sek"] = 1_000_000  # private co-financing 1 000 000 short
    result = CliRunner().invoke(check_project_command, [_write(tmp_path, example, "p.json"), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert "PRIVATE_COFINANCING_SHORT" in [f["code"] for f in data["flags"]]
    assert set(data) >= {"ruleset", "partners", "private_cofinancing", "flags"}


def test_invalid_file_exits_2_naming_the_field(tmp_path, example):
    example["partners"][1]["kind"] = "university"
    result = CliRunner().invoke(check_project_command, [_write(tmp_path, example), "--lang", "en"])
    assert result.exit_code == 2
    assert "partners[1].kind" in result.stderr
    assert "unknown value 'university'" in result.stderr


def test_english_text_report(tmp_path, example):
    result = CliRunner().invoke(check_project_command, [_write(tmp_path, example), "--lang", "en"])
    assert "State-aid check" in result.output and "Effective collaboration" in result.output


def test_unreadable_reference_data_exits_2_and_says_so(tmp_path, example, monkeypatch):
    from synergy_app.reference.loader import ReferenceDataError
    from synergy_app.stateaid import check

    def broken():
        raise ReferenceDataError("programmes.yaml: programmes[0].cofinancing_rate: not a number: 'x'")

    # A broken shipped file is a real fault: the command stops and names it instead of checking without rates.
    monkeypatch.setattr(check, "shipped_programme_rates", broken)
    result = CliRunner().invoke(check_project_command, [_write(tmp_path, example)])
    assert result.exit_code == 2
    assert "reference data: programmes.yaml" in result.stderr
