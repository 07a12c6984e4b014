"""Reading untrusted documents at a cost bounded by their size.

Anything a user uploads or sends (project YAML/JSON, the API's JSON bodies, spreadsheets) goes through
these readers: YAML without aliases (a few hundred bytes of nested aliases expand to gigabytes), JSON
with a bounded nesting depth (deep nesting overflows Python's stack), XLSX with a bounded unpacked
size, and error messages that quote at most a short excerpt of a value, never the value itself.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from typing import Any

import yaml

# Deeper than any document the workspace reads (a project file nests four levels).
MAX_NESTING = 64
EXCERPT_CHARS = 60
# Unpacked size of all parts of an XLSX file: a workbook zipped at 1:1000 must not unpack into gigabytes.
MAX_XLSX_UNPACKED = 50 * 1024 * 1024


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """``repr`` of a value cut to ``limit`` characters with an ellipsis; cheap whatever the value's size."""
    if isinstance(value, str | bytes):
        text = repr(value[: limit + 1])
    elif isinstance(value, int | float | bool) or value is None:
        # repr of an integer of thousands of digits is itself refused by Python (and slow).
        text = repr(value) if not isinstance(value, int) or abs(value) < 10**limit else "<a very large integer>"
    else:
        # A list or mapping: name its kind and size instead of rendering it (it may be enormous).
        size = len(value) if hasattr(value, "__len__") else None
        text = f"<{type(value).__name__}{f' of {size}' if size is not None else ''}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- YAML --------------------------------------------------------------------------------------

class AliasRefused(yaml.constructor.ConstructorError):
    """A YAML alias (``*name``) in a document that may not use them."""


class _NoAliasConstructor:
    """Refuses aliases: a node met a second time while constructing can only have come from an alias."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise AliasRefused(None, None, "anchors and aliases (&name, *name) are not allowed", node.start_mark)
        return super().construct_object(node, deep=deep)


_STR_TAG, _SEQ_TAG, _MAP_TAG = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map"))
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"


class _MergeKey(Exception):
    """A merge key (``<<``) met: the document is built again by the safe constructor itself."""


class _DirectConstructor(_NoAliasConstructor):
    """Builds strings, lists and mappings straight from the nodes (the safe constructor's per-node
    bookkeeping was most of the time a project file takes to read); every other node (numbers, dates,
    booleans, null, unknown tags) goes to the safe constructor. A node met twice is an alias: refused."""

    def construct_document(self, node):
        try:
            data = self._direct(node, set())
        except _MergeKey:
            self.constructed_objects, self.recursive_objects = {}, {}
            return super().construct_document(node)
        self.constructed_objects, self.recursive_objects = {}, {}
        return data

    def _direct(self, node, seen: set):
        if id(node) in seen:
            raise AliasRefused(None, None, "anchors and aliases (&name, *name) are not allowed", node.start_mark)
        seen.add(id(node))
        tag = node.tag
        if tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value
        if tag == _SEQ_TAG and isinstance(node, yaml.SequenceNode):
            return [self._direct(child, seen) for child in node.value]
        if tag == _MAP_TAG and isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:
                    raise _MergeKey
                key = self._direct(key_node, seen)
                try:
                    hash(key)
                except TypeError as exc:
                    raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark,
                                                            "found unhashable key", key_node.start_mark) from exc
                out[key] = self._direct(value_node, seen)
            return out
        return self.construct_object(node, deep=True)


class _PythonNoAliasLoader(_NoAliasConstructor, yaml.SafeLoader):
    pass


# libyaml's safe loader when PyYAML was built with it: about five times faster on large documents, and
# its scanner refuses flow nesting deeper than 1000 levels by itself.
if hasattr(yaml, "CSafeLoader"):
    class NoAliasLoader(_DirectConstructor, yaml.CSafeLoader):  # type: ignore[misc, valid-type]
        pass

    class _EventLoader(_NoAliasConstructor, yaml.CSafeLoader):  # type: ignore[misc, valid-type]
        pass
else:  # pragma: no cover - PyYAML without libyaml
    NoAliasLoader = _PythonNoAliasLoader  # type: ignore[misc]

PythonNoAliasLoader = _PythonNoAliasLoader


_NO_KEY = object()


class _NotPlain(Exception):
    """A document the event reader leaves to the full loader (an anchor, alias, merge key, a tag on a
    collection, a collection as a key, or any error): the full loader gives the answer and the message."""


_PLAIN_MAPPING_TAGS = (None, "!", _MAP_TAG)
_PLAIN_SEQUENCE_TAGS = (None, "!", _SEQ_TAG)


class _ScalarReader:
    """A scalar event's value, resolved and constructed as the full loader does."""

    def __init__(self, loader):
        self.resolve, self.construct = loader.resolve, loader.construct_object
        # A plain scalar's tag depends on its text alone (a project file repeats the same keys and words);
        # a quoted one's on its style alone.
        self.plain_tags: dict[str, str] = {}
        self.other_tags: dict[tuple[bool, bool], str] = {}

    def __call__(self, event) -> Any:
        if event.anchor is not None:
            raise _NotPlain
        text, tag = event.value, event.tag
        if tag is None:
            implicit = event.implicit
            tags, key = (self.plain_tags, text) if implicit[0] else (self.other_tags, implicit)
            tag = tags.get(key)
            if tag is None:
                tag = tags[key] = self.resolve(yaml.ScalarNode, text, implicit)
        elif tag == "!":
            tag = self.resolve(yaml.ScalarNode, text, event.implicit)
        if tag == _STR_TAG:
            return text
        if tag == _INT_TAG and text.isdigit() and text.isascii() and text[0] != "0":
            return int(text)  # what the int constructor gives for plain decimal digits
        if tag == _MERGE_TAG:
            raise _NotPlain
        return self.construct(yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style), deep=True)


def _plain_document_from_events(loader) -> Any:  # noqa: C901 - one flat loop over the event kinds, for speed
    """The document built straight from libyaml's events, without composing nodes first (composing a
    node per scalar and resolving each one's tag was most of the time a project file takes to read).

    Scalars resolve and construct exactly as the full loader does (the same resolver and constructors);
    everything else raises ``_NotPlain``. One pass, no recursion, so it never refuses a document the
    full loader would read, nor reads one differently."""
    if loader.yaml_path_resolvers:  # tags that depend on the path: only the composer follows paths
        raise _NotPlain
    get, scalar = loader.get_event, _ScalarReader(loader)
    plain_tags, str_tag = scalar.plain_tags, _STR_TAG
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
        raise _NotPlain
    stack: list[Any] = []  # the open collections, innermost last
    keys: list[Any] = []  # per open collection: the mapping key whose value comes next, or _NO_KEY
    no_key = _NO_KEY
    event = get()
    while True:
        kind = type(event)
        if kind is scalar_event:
            # The usual scalar inline (a plain one whose text was met before as a string, or plain decimal
            # digits, which the resolver always reads as an int); the rest as the full loader does.
            text = event.value
            if event.tag is None and event.anchor is None and event.implicit[0]:
                if plain_tags.get(text) == str_tag:
                    value = text
                elif text.isdigit() and text.isascii() and text[0] != "0":
                    value = int(text)
                else:
                    value = scalar(event)
            else:
                value = scalar(event)
        elif kind is mapping_start:
            if event.anchor is not None or event.tag not in _PLAIN_MAPPING_TAGS:
                raise _NotPlain
            stack.append({})
            keys.append(no_key)
            event = get()
            continue
        elif kind is sequence_start:
            if event.anchor is not None or event.tag not in _PLAIN_SEQUENCE_TAGS:
                raise _NotPlain
            stack.append([])
            keys.append(no_key)
            event = get()
            continue
        elif kind is mapping_end or kind is sequence_end:
            value = stack.pop()
            keys.pop()
        else:  # an alias, or anything unexpected
            raise _NotPlain
        if not stack:
            break
        top = stack[-1]
        if type(top) is list:
            top.append(value)
        elif keys[-1] is no_key:
            if kind is not scalar_event:  # a collection as a key
                raise _NotPlain
            if type(value) is not str:
                hash(value)  # an unhashable key raises; the full loader then says so
            keys[-1] = value
        else:
            top[keys[-1]] = value
            keys[-1] = no_key
        event = get()
    if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
        raise _NotPlain
    return value


def _load_plain(text: str | bytes) -> Any:
    loader = _EventLoader(text)
    try:
        return _plain_document_from_events(loader)
    finally:
        loader.dispose()


def describe_schema_error(message: str, instance: Any, limit: int = 200) -> str:
    """A jsonschema message ("<repr of instance> is not of type ...") with the instance cut to an excerpt."""
    try:
        shown = repr(instance)
    except ValueError:  # an integer too long to render
        shown = ""
    if shown and message.startswith(shown):
        message = excerpt(instance) + message[len(shown):]
    return message if len(message) <= limit else message[: limit - 1] + "…"


def load_yaml(text: str | bytes) -> Any:
    """``yaml.safe_load`` that refuses aliases and too deep nesting (raising ``yaml.YAMLError``)."""
    check_nesting(text)
    if NoAliasLoader is not _PythonNoAliasLoader:
        # Anything unusual or wrong: the full loader reads it, and says why when it cannot.
        with contextlib.suppress(Exception):
            return _load_plain(text)
    return yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 (a SafeLoader subclass)


# --- JSON and nesting --------------------------------------------------------------------------

class TooDeeplyNested(ValueError):
    """A document nested deeper than ``MAX_NESTING``; a ValueError so JSON readers treat it as invalid."""

    def __init__(self, depth: int):
        self.depth = depth
        super().__init__(f"nested more than {depth} levels deep")


# A quoted string (skipped whole, so brackets inside text do not count) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)
_TOKENS_BYTES = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)


def check_nesting(text: str | bytes, limit: int = MAX_NESTING) -> None:
    """Raise ``TooDeeplyNested`` when brackets nest deeper than ``limit``; one linear pass, no recursion.

    It counts JSON (and YAML flow) brackets outside double-quoted strings; a bracket inside a YAML
    single-quoted or plain scalar may over-count, which only matters for documents near the limit.
    """
    depth = 0
    pattern = _TOKENS_BYTES if isinstance(text, bytes) else _TOKENS
    opening = (b"[", b"{") if isinstance(text, bytes) else ("[", "{")
    closing = (b"]", b"}") if isinstance(text, bytes) else ("]", "}")
    for match in pattern.finditer(text):
        token = match.group()
        if token in opening:
            depth += 1
            if depth > limit:
                raise TooDeeplyNested(limit)
        elif token in closing:
            depth = max(depth - 1, 0)


def loads_json(text: str | bytes, **kwargs: Any) -> Any:
    """``json.loads`` that refuses documents nested deeper than ``MAX_NESTING`` (as a ValueError)."""
    check_nesting(text)
    return json.loads(text, **kwargs)


# --- XLSX --------------------------------------------------------------------------------------

class WorkbookTooLarge(ValueError):
    pass


def check_xlsx_archive(content: bytes, limit: int = MAX_XLSX_UNPACKED) -> None:
    """Refuse an XLSX (zip) whose parts unpack to more than ``limit`` bytes, before anything unpacks them.

    zipfile stops reading a part at its declared size, so the declared sizes bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip: the workbook reader says so in its own words
    if total > limit:
        raise WorkbookTooLarge(f"the workbook unpacks to more than {limit // (1024 * 1024)} MB")


def bounded_rows(sheet, max_rows: int, max_columns: int, **options):
    """Rows of a read-only worksheet, at most ``max_rows`` of at most ``max_columns`` values each.

    The sheet's declared dimension (``<dimension ref="A1:XFD1048576">``) is ignored: openpyxl would pad
    every row to it and yield empty rows up to it. Yields ``max_rows + 1`` rows when there are more,
    so the caller can tell "exactly at the cap" from "over it", and rows of ``max_columns + 1`` values,
    the last of which says whether anything lies beyond the column cap.
    """
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    return sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns + 1, **options)
