"""A deterministic, seeded generator of a synthetic osce-kg corpus.

It writes a data folder usable as ``OSCE_KG_DATA``: the project's ontology,
shapes and queries, and a ``graph/`` of N sources of about 200 triples each,
shaped like the seed article's graph (a meeting with an opening ceremony,
speeches in a capacity, quotations whose selectors point into the generated
source text, annotations), reusing shared entities (persons with posts,
organisations, countries, cities, topics) with a Zipf-like popularity.

``--violations KIND=N`` injects a known number of violations of known kinds;
the kinds and what each breaks are in :data:`VIOLATIONS`, and the counts go
into ``manifest.json`` so a benchmark can check that validation finds them.

    python benchmarks/generate.py OUT --sources 500 --seed 1 --violations end-before-start=3
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/osce-kg/id/"

PREFIXES = """\
@prefix okg: <https://w3id.org/osce-kg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .

"""

# kind -> what it breaks (the shape or check that must report it)
VIOLATIONS: dict[str, str] = {
    "end-before-start": "an event whose schema:endDate is before its schema:startDate",
    "capacity-not-held": "a speech whose okg:capacity is a post its speaker does not hold",
    "shifted-selector": "a TextPositionSelector whose offsets are off by one",
    "missing-label": "a person without rdfs:label",
    "bad-date-datatype": "an event whose schema:startDate is a plain string",
}

_WORD_TEXT = (
    "security cooperation police reform border management dialogue mission office experts "
    "regional workshop training community policing human rights rule law monitoring strategy "
    "prevention trafficking cyber crime terrorism extremism capacity partnership assistance "
    "democratic institutions elections media freedom governance transparency accountability"
)
_FIRST_TEXT = "Anna Boris Clara Dmitri Elena Farid Gulnara Hans Irina Jonas Karin Leon Marta Nodir"
_LAST_TEXT = "Abdulov Berg Costa Dahl Ermakova Fischer Garcia Horvat Ivanova Jensen Karimov Lund"
WORDS, FIRST, LAST = _WORD_TEXT.split(), _FIRST_TEXT.split(), _LAST_TEXT.split()

VERBS = ("noted", "said", "stated", "added", "suggested")


def lit(value: str) -> str:
    """A Turtle string literal with every special character escaped."""
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{out}"'


class TurtleWriter:
    """Statements of one subject each, collected into a Turtle file; counts the triples.

    ``write`` starts the next file afresh, so one writer serves a source's files.
    """

    def __init__(self) -> None:
        self.lines: list[str] = [PREFIXES]
        self.count = 0

    def add(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self.lines.append(f"<{subject}> {body} .\n")
        self.count += len(pairs)

    def write(self, path: Path) -> None:
        path.write_text("".join(self.lines), encoding="utf-8")
        self.lines = [PREFIXES]


class Zipf:
    """Draw indexes 0..n-1 with probability proportional to 1/(k+1)^s."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        total = 0.0
        self.cum: list[float] = []
        for k in range(n):
            total += 1.0 / (k + 1) ** s
            self.cum.append(total)
        self.rng = rng

    def draw(self) -> int:
        return bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])


@dataclass
class Corpus:
    sources: int
    seed: int
    violations: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    injected: dict[str, list[str]] = field(default_factory=dict)


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize()


def write_shared(graph: Path, n_persons: int, n_orgs: int, n_places: int, n_topics: int) -> int:
    """Persons with one post each, organisations, countries with a capital, topics."""
    out = TurtleWriter()
    add = out.add

    for i in range(n_places):
        add(
            f"{ID}country/country-{i}",
            [
                ("a", "okg:Country"),
                ("rdfs:label", lit(f"Country {i}") + "@en"),
            ],
        )
        add(
            f"{ID}city/city-{i}",
            [
                ("a", "okg:City"),
                ("rdfs:label", lit(f"City {i}") + "@en"),
                ("okg:partOfPlace", f"<{ID}country/country-{i}>"),
            ],
        )
    add(
        f"{ID}organization/osce",
        [
            ("a", "okg:IntergovernmentalOrganization"),
            ("rdfs:label", lit("OSCE") + "@en"),
        ],
    )
    for i in range(n_orgs):
        add(
            f"{ID}organization/org-{i}",
            [
                ("a", "okg:Ministry" if i % 3 else "okg:FieldOperation"),
                ("rdfs:label", lit(f"Organisation {i}") + "@en"),
                ("org:subOrganizationOf", f"<{ID}organization/osce>")
                if i % 3 == 0
                else ("okg:fromCountry", f"<{ID}country/country-{i % n_places}>"),
                (
                    "okg:locatedIn" if i % 3 == 0 else "okg:fromCountry",
                    f"<{ID}country/country-{i % n_places}>",
                ),
            ],
        )
    for i in range(n_topics):
        add(
            f"{ID}topic/topic-{i}",
            [
                ("a", "okg:Topic"),
                ("rdfs:label", lit(f"topic {i}") + "@en"),
                ("skos:prefLabel", lit(f"topic {i}") + "@en"),
                ("skos:inScheme", "okg:topics"),
            ],
        )
    for i in range(n_persons):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"
        person, post = f"{ID}person/person-{i}", f"{ID}post/post-{i}"
        add(
            person,
            [
                ("a", "okg:Person"),
                ("rdfs:label", lit(name) + "@en"),
                ("foaf:name", lit(name)),
                ("org:holds", f"<{post}>"),
            ],
        )
        add(
            post,
            [
                ("a", "okg:Post"),
                ("rdfs:label", lit(f"Head of unit {i}") + "@en"),
                ("org:heldBy", f"<{person}>"),
                ("org:postIn", f"<{ID}organization/org-{i % n_orgs}>"),
            ],
        )
    (graph / "shared").mkdir(parents=True, exist_ok=True)
    out.write(graph / "shared" / "entities.ttl")
    return out.count


def write_source(
    graph: Path,
    index: int,
    rng: random.Random,
    persons: Zipf,
    places: Zipf,
    topics: Zipf,
    inject: str | None,
) -> int:
    """One source folder; returns its triple count."""
    slug = f"synthetic-{index:06d}"
    article = f"{ID}source/{slug}"
    year = 2000 + index % 20
    month, day = 1 + index % 12, 1 + index % 27
    start = f"{year:04d}-{month:02d}-{day:02d}"
    end = f"{year:04d}-{month:02d}-{day + 1:02d}"
    place = places.draw()
    speakers = [persons.draw(), persons.draw()]
    while speakers[1] == speakers[0]:
        speakers[1] = persons.draw()

    # The text, and where each passage lies in it (code points).
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}

    def say(key: str | None, sentence: str) -> None:
        offset = sum(len(p) for p in parts)
        parts.append(sentence + " ")
        if key:
            spans[key] = (offset, offset + len(sentence))

    say(None, f"Synthetic report {index}.")
    say("meeting", f"From {start} to {end} the meeting {index} was held in City {place}.")
    say("ceremony", f"In the opening ceremony of meeting {index} the guests were welcomed.")
    quotes: list[tuple[int, int, str]] = []
    for s_i, person in enumerate(speakers):
        say(f"speech-{s_i}", f"Person {person} spoke at meeting {index}.")
        for q_i in range(1 + (s_i + index) % 2):
            words = _sentence(rng, 12)
            verb = VERBS[(index + q_i) % len(VERBS)]
            say(f"quote-{s_i}-{q_i}", f"\u201c{words},\u201d {verb} the speaker.")
            quotes.append((s_i, q_i, verb))
    text = "".join(parts).rstrip()
    raw = text.encode("utf-8")

    folder = graph / "sources" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.txt").write_bytes(raw)
    out = TurtleWriter()
    add = out.add

    derived = ("prov:wasDerivedFrom", f"<{article}>")
    add(
        article,
        [
            ("a", "okg:Article"),
            ("rdfs:label", lit(f"Synthetic report {index}") + "@en"),
            ("dcterms:title", lit(f"Synthetic report {index}") + "@en"),
            ("dcterms:identifier", lit(slug)),
            ("dcterms:issued", f'"{end}"^^xsd:date'),
            ("okg:sha256", lit(hashlib.sha256(raw).hexdigest())),
            ("schema:text", lit(text)),
        ],
    )
    meeting, ceremony = f"{ID}event/meeting-{index}", f"{ID}event/meeting-{index}-opening"
    start_lit, end_lit = f'"{start}"^^xsd:date', f'"{end}"^^xsd:date'
    if inject == "end-before-start":
        start_lit, end_lit = end_lit, start_lit
    if inject == "bad-date-datatype":
        start_lit = lit(start)
    add(
        meeting,
        [
            ("a", "okg:Meeting"),
            ("rdfs:label", lit(f"Meeting {index}") + "@en"),
            derived,
            ("schema:startDate", start_lit),
            ("schema:endDate", end_lit),
            ("okg:place", f"<{ID}city/city-{place}>"),
            ("okg:status", "okg:held"),
            ("okg:theme", f"<{ID}topic/topic-{topics.draw()}>"),
            ("okg:attendanceMoreThan", f'"{10 + index % 90}"^^xsd:nonNegativeInteger'),
            ("okg:participant", f"<{ID}person/person-{speakers[0]}>"),
            ("okg:participant", f"<{ID}person/person-{speakers[1]}>"),
            ("okg:hasSubEvent", f"<{ceremony}>"),
        ],
    )
    add(
        ceremony,
        [
            ("a", "okg:Ceremony"),
            ("rdfs:label", lit(f"Opening ceremony of meeting {index}") + "@en"),
            derived,
            ("okg:subEventOf", f"<{meeting}>"),
            ("okg:status", "okg:held"),
        ],
    )
    bodies: dict[str, str] = {"meeting": meeting, "ceremony": ceremony}
    for s_i, person in enumerate(speakers):
        speech = f"{ID}speech/meeting-{index}-{s_i}"
        post = speakers[1 - s_i] if inject == "capacity-not-held" and s_i == 0 else person
        add(
            speech,
            [
                ("a", "okg:Speech"),
                ("rdfs:label", lit(f"Speech {s_i} at meeting {index}") + "@en"),
                derived,
                ("okg:speaker", f"<{ID}person/person-{person}>"),
                ("okg:deliveredAt", f"<{ceremony if s_i == 0 else meeting}>"),
                ("okg:capacity", f"<{ID}post/post-{post}>"),
                ("okg:topic", f"<{ID}topic/topic-{topics.draw()}>"),
            ],
        )
        bodies[f"speech-{s_i}"] = speech
    for s_i, q_i, verb in quotes:
        quote = f"{ID}quotation/meeting-{index}-{s_i}-{q_i}"
        qs, _ = spans[f"quote-{s_i}-{q_i}"]
        words = text[qs + 1 : text.index("\u201d", qs)]
        add(
            quote,
            [
                ("a", "okg:Quotation"),
                ("rdfs:label", lit(f"Quotation {q_i + 1} of speech {s_i}") + "@en"),
                derived,
                ("schema:text", lit(words) + "@en"),
                ("okg:quotedIn", f"<{ID}speech/meeting-{index}-{s_i}>"),
                ("okg:quotedPerson", f"<{ID}person/person-{speakers[s_i]}>"),
                ("okg:reportingVerb", lit(verb) + "@en"),
                ("okg:sequence", f'"{q_i + 1}"^^xsd:positiveInteger'),
            ],
        )
        spans[f"quote-{s_i}-{q_i}"] = (qs + 1, qs + 1 + len(words))
        bodies[f"quote-{s_i}-{q_i}"] = quote
    if inject == "missing-label":
        extra = f"{ID}person/unlabelled-{index}"
        add(extra, [("a", "okg:Person"), ("foaf:name", lit(f"Unlabelled {index}")), derived])
        bodies["unlabelled"] = extra
        spans["unlabelled"] = spans["meeting"]
    out.write(folder / "facts.ttl")

    for n, (key, body) in enumerate(sorted(bodies.items())):
        s, e = spans[key]
        if inject == "shifted-selector" and n == 0:
            s, e = s + 1, e + 1
            exact, prefix, suffix = (
                text[s - 1 : e - 1],
                text[max(0, s - 33) : s - 1],
                text[e - 1 : e + 31],
            )
        else:
            exact, prefix, suffix = text[s:e], text[max(0, s - 32) : s], text[e : e + 32]
        ann = f"{ID}annotation/{slug}/{s}-{e}"
        add(
            ann,
            [
                ("a", "oa:Annotation"),
                ("oa:motivatedBy", "oa:identifying"),
                derived,
                ("oa:hasBody", f"<{body}>"),
                ("oa:hasTarget", f"<{ann}#target>"),
            ],
        )
        add(
            f"{ann}#target",
            [
                ("a", "oa:SpecificResource"),
                ("oa:hasSource", f"<{article}>"),
                ("oa:hasSelector", f"<{ann}#quote>"),
                ("oa:hasSelector", f"<{ann}#position>"),
            ],
        )
        add(
            f"{ann}#quote",
            [
                ("a", "oa:TextQuoteSelector"),
                ("oa:exact", lit(exact)),
                ("oa:prefix", lit(prefix)),
                ("oa:suffix", lit(suffix)),
            ],
        )
        add(
            f"{ann}#position",
            [
                ("a", "oa:TextPositionSelector"),
                ("oa:start", f'"{s}"^^xsd:nonNegativeInteger'),
                ("oa:end", f'"{e}"^^xsd:nonNegativeInteger'),
            ],
        )
    out.write(folder / "annotations.ttl")
    return out.count


def generate(
    out: Path, sources: int, seed: int = 1, violations: dict[str, int] | None = None
) -> Corpus:
    """Write a corpus of ``sources`` sources into ``out`` (replaced if present)."""
    violations = dict(violations or {})
    unknown = set(violations) - set(VIOLATIONS)
    if unknown:
        raise ValueError(f"unknown violation kinds: {sorted(unknown)}; known: {sorted(VIOLATIONS)}")
    if sum(violations.values()) > sources:
        raise ValueError("more violations than sources: each source carries at most one")
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(REPO / name, out / name)
    graph = out / "graph"
    n_persons = max(20, sources // 2)
    n_places, n_topics, n_orgs = 60, 50, max(10, sources // 20)
    corpus = Corpus(sources, seed, violations)
    corpus.triples = write_shared(graph, n_persons, n_orgs, n_places, n_topics)
    persons, places, topics = (
        Zipf(n_persons, 1.1, rng),
        Zipf(n_places, 1.0, rng),
        Zipf(n_topics, 1.0, rng),
    )
    plan: list[str | None] = [k for k, n in sorted(violations.items()) for _ in range(n)]
    plan += [None] * (sources - len(plan))
    rng.shuffle(plan)
    for index, inject in enumerate(plan):
        corpus.triples += write_source(graph, index, rng, persons, places, topics, inject)
        if inject:
            corpus.injected.setdefault(inject, []).append(f"synthetic-{index:06d}")
    manifest = {
        "sources": sources,
        "seed": seed,
        "triples": corpus.triples,
        "violations": {
            k: {"count": len(v), "sources": v, "what": VIOLATIONS[k]}
            for k, v in sorted(corpus.injected.items())
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--triples", type=int, default=None, help="aim for about this many triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violations", nargs="*", default=[], metavar="KIND=N")
    args = parser.parse_args()
    violations = {}
    for item in args.violations:
        kind, _, n = item.partition("=")
        violations[kind] = int(n or 1)
    sources = args.sources if args.triples is None else max(1, args.triples // 200)
    corpus = generate(args.out, sources, args.seed, violations)
    print(f"{args.out}: {corpus.sources} sources, {corpus.triples} triples")


if __name__ == "__main__":
    main()
