"""Reading the workspace's own shipped data files (state-aid rulesets, funder requirement profiles):
YAML checked against a JSON schema, with the first problem named by file and key.

These are files the workspace ships, not uploads, so their anchors (one quote shared by several
values) are allowed here; files users send go through bounded_parsing.load_yaml.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsonschema
import yaml

from .bounded_parsing import describe_schema_error


class ShippedFileError(ValueError):
    """A shipped data file that must not be used; names the file and the key path."""

    def __init__(self, file: str, path: str, problem: str):
        self.file = file
        self.path = path
        self.problem = problem
        super().__init__(f"{file}: {path or '<root>'}: {problem}")


# libyaml's safe loader where PyYAML was built with it: the same data as the pure-Python one, read several
# times faster (the shipped files took about two seconds of every process's start and of every CLI run).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """A shipped YAML file's data (``yaml.safe_load``, through libyaml where there is one)."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a safe loader)


class StringDateLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, keeping ISO dates as strings so the schema sees what the file says."""


StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_checked(text: str, file: str, schema: dict, error: type[Exception], what: str) -> dict:
    """The file's mapping, or `error(file, key_path, problem)` for the first (most specific) problem."""
    try:
        data = yaml.load(text, Loader=StringDateLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise error(file, "", f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise error(file, "", f"{what} must be a mapping")
    found = best_error(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if found is not None:
        raise error(file, key_path(found), describe(found))
    return data


def key_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def best_error(errors: Iterable[jsonschema.ValidationError]) -> jsonschema.ValidationError | None:
    # The deepest error is the most specific one (e.g. the missing reference, not the failed oneOf).
    errors = list(errors)
    if not errors:
        return None
    return max(errors, key=lambda e: (len(e.absolute_path), -len(e.context or [])))


def describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return describe_schema_error(f"unknown key(s) {', '.join(extra)}", None)
    if error.validator == "required" and "'quote'" in error.message and error.instance.get("verified") is True:
        return "verified: true needs a quote (text, language, source) of the sentence the value is read in"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return describe_schema_error(error.message, error.instance)
