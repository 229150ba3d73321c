"""Make labelled error sentences from faithful ones by rule: modality, actor, negation, number.

Each rule rewrites one legal cue of a faithful claim sentence so that the passage it was paired
with now contradicts it: "may" becomes "must", the requested State becomes the requesting State,
a "not" is dropped or added, "90 days" becomes "60 days".  A rule returns ``None`` when the
sentence holds no cue it can change.  The output is a set of *candidates*: a person reads each one
and keeps only those that read as the intended error (a swap can leave a sentence true, or make
it ungrammatical), as described in ``eval/labels/README.md``.

    python -m eval.perturb --in eval/labels/claims-dev.jsonl --out /tmp/candidates.jsonl
    python -m eval.perturb --in FILE --out FILE --kinds modality,number
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Perturbation:
    """A rewritten sentence and the reason a reader would give for why it is wrong."""

    sentence: str
    note: str


Rule = Callable[[str], "Perturbation | None"]

# Modal swaps, tried in order; the first pattern found in the sentence is rewritten once.
# "as may be necessary" is boilerplate, not a permission, so "may" there is never touched.
MODAL_SWAPS: tuple[tuple[str, str], ...] = (
    (r"\bshall endeavour to\b", "shall"),
    (r"\bshould endeavour to\b", "must"),
    (r"\bshould try to\b", "must"),
    (r"\bshall seek to\b", "shall"),
    (r"\bare encouraged to\b", "must"),
    (r"\bis encouraged to\b", "must"),
    (r"\bare not obliged to\b", "must"),
    (r"\bis not obliged to\b", "must"),
    (r"\bdoes not have to\b", "must"),
    (r"\bdo not have to\b", "must"),
    (r"\bshall not\b", "can"),
    (r"\bmust not\b", "can"),
    (r"\bhas to\b", "may"),
    (r"\bhave to\b", "may"),
    (r"\bmust\b", "may"),
    (r"(?<!as )\bmay\b(?! not\b)(?!\s+\d)", "must"),  # not the month in "26 May 2021"
    (r"\bcan\b", "must"),
    (r"\bshall\b(?! not\b)", "may"),
)

# Actor pairs; either side found in the sentence is replaced by the other.
ACTOR_PAIRS: tuple[tuple[str, str], ...] = (
    ("requesting State", "requested State"),
    ("requesting Party", "requested Party"),
    ("transmitting State", "receiving State"),
    ("Conference of the States Parties", "Secretary-General"),
    ("United Nations Office on Drugs and Crime", "Conference of the States Parties"),
    ("UNODC", "the Conference of the States Parties"),
    ("service providers", "competent authorities"),
    ("service provider", "competent authority"),
    ("custodian", "competent authority"),
)

# Negation: cues whose removal flips the meaning, tried before adding a "not".
NEGATION_REMOVALS: tuple[tuple[str, str], ...] = (
    (r"\bshall not\b", "shall"),
    (r"\bmust not\b", "must"),
    (r"\bmay not\b", "may"),
    (r"\bcannot\b", "can"),
    (r"\bcan't\b", "can"),
    (r"\bis not\b", "is"),
    (r"\bare not\b", "are"),
    (r"\bnever\b", "always"),
    (r"\bno longer\b", "still"),
)
NEGATION_INSERTIONS: tuple[tuple[str, str], ...] = (
    (r"\bmust\b", "must not"),
    (r"\bshall\b", "shall not"),
    (r"\bcan\b", "cannot"),
    (r"(?<!as )\bmay\b(?!\s+\d)", "may not"),
    (r"\bis\b", "is not"),
    (r"\bare\b", "are not"),
)
DOES_NOT = re.compile(r"\b(does|do) not (?:itself |themselves |always |necessarily )?(\w+)")

# Number words are changed only before a unit ("four years", "ninetieth day", "two sessions").
NUMBER_WORDS: dict[str, str] = {
    "one": "two",
    "two": "three",
    "three": "four",
    "four": "five",
    "five": "four",
    "six": "five",
    "seven": "five",
    "ten": "five",
    "fifteen": "thirty",
    "eighteen": "sixteen",
    "thirty": "sixty",
    "sixty": "ninety",
    "ninety": "sixty",
    "thirtieth": "sixtieth",
    "sixtieth": "ninetieth",
    "ninetieth": "sixtieth",
    "fortieth": "fiftieth",
    "eightieth": "seventy-ninth",
}
UNITS = r"(?:years?|months?|weeks?|days?|hours?|sessions?|instruments?|ratifications?|persons?)"
SINGULAR_UNITS = r"(?:year|month|week|day|hour|session)"
FREQUENCIES: dict[str, str] = {"annually": "every two years", "every year": "every two years"}
# Digit replacements for the figures these treaties use; other figures are raised by one.
NUMBER_DIGITS: dict[int, int] = {7: 5, 15: 30, 16: 18, 18: 16, 24: 48, 30: 60, 40: 50, 60: 90, 90: 60}
# A number right after one of these words names a provision: changing it is an instrument error.
CITATION_WORDS = re.compile(r"(?:article|articles|paragraph|paragraphs|resolution|note|notes|Article)\s+$|[(/]$")
MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"


def _swap_first(sentence: str, swaps: Sequence[tuple[str, str]]) -> tuple[str, str, str] | None:
    """Rewrite the first pattern of ``swaps`` found (any case); returns (new sentence, old, new)."""
    for pattern, replacement in swaps:
        match = re.search(pattern, sentence, flags=re.IGNORECASE)
        if match:
            old = match.group(0)
            new = _keep_case(old, replacement)
            return sentence[: match.start()] + new + sentence[match.end() :], old, new
    return None


def _keep_case(old: str, new: str) -> str:
    """``new`` capitalised like ``old`` (sentence-initial "May" becomes "Must")."""
    return new[0].upper() + new[1:] if old[:1].isupper() and new[:1].islower() else new


def _third_person(verb: str) -> str:
    """Present-tense third person singular of a bare English verb (apply -> applies)."""
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb + "s"


def perturb_modality(sentence: str) -> Perturbation | None:
    """Swap a deontic cue: may <-> must/shall, shall not -> can, shall endeavour -> shall, ..."""
    swapped = _swap_first(sentence, MODAL_SWAPS)
    if swapped is None:
        return None
    new_sentence, old, new = swapped
    return Perturbation(new_sentence, f'modality: "{old.lower()}" written as "{new.lower()}"')


def perturb_actor(sentence: str) -> Perturbation | None:
    """Swap the two actors of the first pair found (requesting <-> requested State, ...).

    Every mention of either side is swapped at once, so "the receiving State must notify the
    transmitting State" becomes "the transmitting State must notify the receiving State".
    """
    for first, second in ACTOR_PAIRS:
        found = re.search(rf"\b({re.escape(first)}|{re.escape(second)})", sentence)
        if found:
            old = found.group(1)
            new = second if old == first else first
            return Perturbation(_swap_all(sentence, first, second), f'actor: "{old}" written as "{new}"')
    return None


def _swap_all(sentence: str, first: str, second: str) -> str:
    """``sentence`` with every ``first`` written as ``second`` and the other way round."""
    other = {first: second, second: first}
    pattern = re.compile(rf"\b({re.escape(first)}|{re.escape(second)})")
    return pattern.sub(lambda match: other[match.group(1)], sentence)


def perturb_negation(sentence: str) -> Perturbation | None:
    """Drop a negation ("shall not" -> "shall", "does not exclude" -> "excludes") or add one."""
    does_not = DOES_NOT.search(sentence)
    removal = _swap_first(sentence, NEGATION_REMOVALS)
    if does_not and (removal is None or does_not.start() < sentence.find(removal[1])):
        verb = does_not.group(2)
        positive = _third_person(verb) if does_not.group(1) == "does" else verb
        new_sentence = sentence[: does_not.start()] + positive + sentence[does_not.end() :]
        return Perturbation(new_sentence, f'negation: "{does_not.group(0)}" written as "{positive}"')
    if removal is not None:
        new_sentence, old, new = removal
        return Perturbation(new_sentence, f'negation: "{old}" written as "{new}" (negation dropped)')
    insertion = _swap_first(sentence, NEGATION_INSERTIONS)
    if insertion is None:
        return None
    new_sentence, old, new = insertion
    return Perturbation(new_sentence, f'negation: "{old}" written as "{new}" (negation added)')


def perturb_number(sentence: str) -> Perturbation | None:
    """Change the first figure, counted number word, ordinal or frequency that is not a citation.

    Figures that name a provision (article 40, 14(2)), a resolution (79/243), a year or a
    calendar day are left alone: changing those makes an instrument error, not a number error.
    """
    return _change_figure(sentence) or _change_number_word(sentence) or _change_frequency(sentence)


def _change_figure(sentence: str) -> Perturbation | None:
    for match in re.finditer(r"\b\d+\b", sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        if CITATION_WORDS.search(before) or after.startswith(("/", "(")) or re.match(rf"\s+{MONTHS}", after):
            continue
        if re.fullmatch(r"(19|20)\d\d", match.group(0)):
            continue
        value = int(match.group(0))
        new = str(NUMBER_DIGITS.get(value, value + 1))
        return Perturbation(before + new + after, f'number: "{match.group(0)}" written as "{new}"')
    return None


def _change_number_word(sentence: str) -> Perturbation | None:
    for word, new in NUMBER_WORDS.items():
        match = re.search(rf"\b{word}\b(?=(?:\s+[\w-]+)?\s+{UNITS}\b)", sentence, flags=re.IGNORECASE)
        if match:
            replacement = _keep_case(match.group(0), new)
            rest = sentence[match.end() :]
            if match.group(0).lower() == "one":  # "one year" -> "two years"
                rest = re.sub(rf"^(\s+{SINGULAR_UNITS})\b", r"\1s", rest, count=1)
            new_sentence = sentence[: match.start()] + replacement + rest
            return Perturbation(new_sentence, f'number: "{match.group(0)}" written as "{replacement}"')
    return None


def _change_frequency(sentence: str) -> Perturbation | None:
    for phrase, new in FREQUENCIES.items():
        match = re.search(rf"\b{phrase}\b", sentence)
        if match:
            new_sentence = sentence[: match.start()] + new + sentence[match.end() :]
            return Perturbation(new_sentence, f'number: "{phrase}" written as "{new}"')
    return None


RULES: dict[str, Rule] = {
    "modality": perturb_modality,
    "actor": perturb_actor,
    "negation": perturb_negation,
    "number": perturb_number,
}


def perturb_rows(rows: Sequence[dict[str, object]], kinds: Sequence[str]) -> list[dict[str, object]]:
    """Candidate error rows: every rule of ``kinds`` applied to every faithful row it fits."""
    out: list[dict[str, object]] = []
    for row in rows:
        if row.get("kind") != "faithful":
            continue
        for kind in kinds:
            result = RULES[kind](str(row["sentence"]))
            if result is None:
                continue
            out.append(
                {
                    "id": f"{row['id']}-{kind[:3]}",
                    "doc": row["doc"],
                    "article": row["article"],
                    "passage_text": row["passage_text"],
                    "sentence": result.sentence,
                    "label": "contradicted",
                    "kind": kind,
                    "origin": "perturbed",
                    "note": f"{result.note} (from {row['id']})",
                }
            )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Read labelled rows, write the perturbed candidates as JSON lines; 2 on a usage problem."""
    parser = argparse.ArgumentParser(prog="python -m eval.perturb", description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="source", type=Path, required=True, help="labelled claims, JSON lines")
    parser.add_argument("--out", type=Path, required=True, help="where to write the candidates")
    parser.add_argument("--kinds", default=",".join(RULES), help=f"comma-separated subset of {', '.join(RULES)}")
    args = parser.parse_args(argv)
    kinds = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in RULES]
    if unknown:
        print(f"unknown kind(s) {', '.join(unknown)}; choose from {', '.join(RULES)}", file=sys.stderr)
        return 2
    if not args.source.is_file():
        print(f"no such file: {args.source}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.source.read_text(encoding="utf-8").splitlines() if line.strip()]
    candidates = perturb_rows(rows, kinds)
    args.out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in candidates), encoding="utf-8")
    print(f"{len(candidates)} candidates from {len(rows)} rows -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
