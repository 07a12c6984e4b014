"""Text similarity for Swedish and English: stems, TF-IDF vectors, cosine and the terms behind it.

Pure Python with sparse dict vectors: a few thousand short documents are far below the size
where numpy would pay for itself, and an inverted index (`TextCorpus.postings`) keeps the
all-pairs scoring proportional to the number of shared terms, not to priorities x areas.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from ..shipped_data import read_yaml

STOPWORDS_FILE = Path(__file__).with_name("stopwords.yaml")
LANGUAGES = ("swedish", "english")

# Letters only: digits and punctuation say little about a theme and would split "5G" oddly anyway.
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SWEDISH_LETTERS = frozenset("åäö")

# Compound splitting: a head and a tail must both be word-like to count as parts.
_MIN_HEAD = 5
_MIN_TAIL = 4


@dataclass(frozen=True)
class FieldWeights:
    """How much one occurrence of a word counts in each field (keywords are chosen words)."""

    title: float = 2.0
    description: float = 1.0
    keywords: float = 3.0
    # A part of a Swedish compound ("tillverkning" in "tillverkningsindustrin") counts this much
    # of the whole word, so a compound still matches its parts without outweighing exact words.
    compound_part: float = 0.5


@dataclass(frozen=True)
class TextFields:
    title: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.title.strip() or self.description.strip() or any(k.strip() for k in self.keywords))


@dataclass(frozen=True)
class SharedTerm:
    """A stem both texts contain, its share of the cosine, and the words it came from on each side."""

    stem: str
    contribution: float
    words_a: tuple[str, ...]
    words_b: tuple[str, ...]

    @property
    def label(self) -> str:
        words = sorted(set(self.words_a) | set(self.words_b))
        return "/".join(words) if words else self.stem


@dataclass
class TermVector:
    """An L2-normalised TF-IDF vector and, for display, the surface words behind each stem."""

    weights: dict[str, float] = field(default_factory=dict)
    words: dict[str, frozenset[str]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    data = read_yaml(STOPWORDS_FILE.read_text(encoding="utf-8"))
    words: set[str] = set()
    for section in data.values():
        words.update(section["words"].split())
    return frozenset(words)


@lru_cache(maxsize=1)
def _language_markers() -> dict[str, frozenset[str]]:
    data = read_yaml(STOPWORDS_FILE.read_text(encoding="utf-8"))
    return {lang: frozenset(data[lang]["words"].split()) for lang in LANGUAGES}


def words(text: str) -> list[str]:
    """Lower-cased words of `text` (letters only)."""
    return _WORD.findall(text.lower())


def detect_language(text: str) -> str:
    """'swedish' or 'english' for a text, from å/ä/ö and which language's function words it uses.

    Swedish is the default: the product's own texts are Swedish first, and a bare keyword list
    ("life science, medtech") in a Swedish record is better stemmed as Swedish than guessed.
    """
    tokens = words(text)
    if any(ch in _SWEDISH_LETTERS for token in tokens for ch in token):
        return "swedish"
    markers = _language_markers()
    english = sum(1 for t in tokens if t in markers["english"])
    swedish = sum(1 for t in tokens if t in markers["swedish"])
    return "english" if english > swedish else "swedish"


class Stemmer:
    """Snowball stemmers for both languages with a cache: policy texts repeat their words a lot."""

    def __init__(self) -> None:
        self._stemmers = {lang: snowballstemmer.stemmer(lang) for lang in LANGUAGES}
        self._cache: dict[tuple[str, str], str] = {}

    def stem(self, word: str, language: str) -> str:
        key = (word, language)
        stem = self._cache.get(key)
        if stem is None:
            stem = self._stemmers[language].stemWord(word)
            self._cache[key] = stem
        return stem

    def stems(self, text: str, language: str) -> list[tuple[str, str]]:
        """(stem, word) pairs for the content words of `text`."""
        stop = stopwords()
        return [(self.stem(w, language), w) for w in words(text) if len(w) > 1 and w not in stop]


def split_compound(stem: str, vocabulary: frozenset[str] | set[str]) -> tuple[str, ...]:
    """Parts of a Swedish compound stem that are themselves stems in `vocabulary`.

    Snowball leaves compounds whole ("tillverkningsindustrin"), so a text about
    "tillverkning" would never meet one about "tillverkningsindustrin". The split is greedy
    on the longest known head, allows the linking "s" (fogemorfem), and keeps a tail that is
    not itself known as long as it is word-length; it only ever proposes parts, the whole
    stem is kept too. Returns () when the stem is not a compound of known parts.
    """
    for cut in range(len(stem) - _MIN_TAIL, _MIN_HEAD - 1, -1):
        head = stem[:cut]
        if head not in vocabulary:
            continue
        tail = stem[cut:]
        if tail.startswith("s") and len(tail) - 1 >= _MIN_TAIL and tail not in vocabulary:
            tail = tail[1:]
        if len(tail) < _MIN_TAIL:
            continue
        rest = split_compound(tail, vocabulary)
        return (head, *rest) if rest else (head, tail)
    return ()


@dataclass
class _Document:
    # stem -> weighted term frequency before IDF; stem -> surface words
    counts: dict[str, float]
    words: dict[str, set[str]]


class TextCorpus:
    """TF-IDF over a set of documents (priorities and areas together, so IDF sees both sides)."""

    def __init__(
        self,
        vectors: dict[str, TermVector],
        idf: dict[str, float],
        default_idf: float,
        vocabulary: frozenset[str],
        weights: FieldWeights,
        stemmer: Stemmer,
    ) -> None:
        self.vectors = vectors
        self.idf = idf
        self.default_idf = default_idf
        self.vocabulary = vocabulary
        self.weights = weights
        self._stemmer = stemmer

    @classmethod
    def build(cls, documents: Mapping[str, TextFields], weights: FieldWeights | None = None) -> TextCorpus:
        weights = weights or FieldWeights()
        stemmer = Stemmer()
        raw = {doc_id: _raw_stems(fields, stemmer) for doc_id, fields in documents.items()}
        vocabulary = frozenset(stem for doc in raw.values() for _, stem, _ in doc)
        splitter = _CompoundCache(vocabulary)
        docs = {doc_id: _weigh(stems, weights, splitter) for doc_id, stems in raw.items()}
        df: dict[str, int] = {}
        for doc in docs.values():
            for stem in doc.counts:
                df[stem] = df.get(stem, 0) + 1
        n = len(docs)
        # Smoothed IDF (as scikit-learn's default): a term in every document still counts a little.
        idf = {stem: math.log((1 + n) / (1 + count)) + 1.0 for stem, count in df.items()}
        default_idf = math.log(1 + n) + 1.0
        vectors = {doc_id: _vector(doc, idf, default_idf) for doc_id, doc in docs.items()}
        return cls(vectors, idf, default_idf, vocabulary, weights, stemmer)

    def vector_for(self, fields: TextFields) -> TermVector:
        """Vector of a text that is not in the corpus (a search theme, a record being edited)."""
        stems = _raw_stems(fields, self._stemmer)
        doc = _weigh(stems, self.weights, _CompoundCache(self.vocabulary))
        return _vector(doc, self.idf, self.default_idf)

    def similarity(self, a_id: str, b_id: str) -> float:
        return cosine(self.vectors[a_id], self.vectors[b_id])

    def postings(self, doc_ids: Iterable[str]) -> dict[str, list[tuple[str, float]]]:
        """Inverted index stem -> [(doc id, weight)] over the given documents."""
        index: dict[str, list[tuple[str, float]]] = {}
        for doc_id in doc_ids:
            for stem, weight in self.vectors[doc_id].weights.items():
                index.setdefault(stem, []).append((doc_id, weight))
        return index


class _CompoundCache:
    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self._parts: dict[str, tuple[str, ...]] = {}

    def parts(self, stem: str) -> tuple[str, ...]:
        parts = self._parts.get(stem)
        if parts is None:
            parts = split_compound(stem, self.vocabulary) if len(stem) >= _MIN_HEAD + _MIN_TAIL else ()
            self._parts[stem] = parts
        return parts


def _raw_stems(fields: TextFields, stemmer: Stemmer) -> list[tuple[str, str, str]]:
    """(field, stem, word) triples.

    Title and keywords are short, so they share one language guess; the description is guessed
    on its own, as records often pair a Swedish title with an English description.
    """
    short_language = detect_language(" ".join((fields.title, *fields.keywords)))
    out: list[tuple[str, str, str]] = []
    out.extend(("title", stem, word) for stem, word in stemmer.stems(fields.title, short_language))
    description_language = detect_language(fields.description) if fields.description else short_language
    out.extend(("description", s, w) for s, w in stemmer.stems(fields.description, description_language))
    for keyword in fields.keywords:
        out.extend(("keywords", stem, word) for stem, word in stemmer.stems(keyword, short_language))
    return out


def _weigh(stems: list[tuple[str, str, str]], weights: FieldWeights, splitter: _CompoundCache) -> _Document:
    counts: dict[str, float] = {}
    surface: dict[str, set[str]] = {}
    for field_name, stem, word in stems:
        w = getattr(weights, field_name)
        counts[stem] = counts.get(stem, 0.0) + w
        surface.setdefault(stem, set()).add(word)
        for part in splitter.parts(stem):
            counts[part] = counts.get(part, 0.0) + w * weights.compound_part
            surface.setdefault(part, set()).add(word)
    return _Document(counts, surface)


def _vector(doc: _Document, idf: Mapping[str, float], default_idf: float) -> TermVector:
    weights = {stem: _sublinear(tf) * idf.get(stem, default_idf) for stem, tf in doc.counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm:
        weights = {stem: w / norm for stem, w in weights.items()}
    return TermVector(weights, {stem: frozenset(ws) for stem, ws in doc.words.items()})


def _sublinear(tf: float) -> float:
    # The tenth mention of "energi" adds less than the second; below one (a lone compound part)
    # the count is taken as it is, so the curve stays increasing and continuous.
    return 1.0 + math.log(tf) if tf >= 1.0 else tf


def cosine(a: TermVector, b: TermVector) -> float:
    small, large = (a.weights, b.weights) if len(a.weights) <= len(b.weights) else (b.weights, a.weights)
    return sum(w * large[stem] for stem, w in small.items() if stem in large)


def shared_terms(a: TermVector, b: TermVector, limit: int = 8) -> list[SharedTerm]:
    """The stems both vectors hold, largest contribution to the cosine first."""
    terms = [
        SharedTerm(
            stem, wa * b.weights[stem], tuple(sorted(a.words.get(stem, ()))), tuple(sorted(b.words.get(stem, ())))
        )
        for stem, wa in a.weights.items()
        if stem in b.weights
    ]
    terms.sort(key=lambda t: (-t.contribution, t.stem))
    return terms[:limit]
