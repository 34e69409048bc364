"""Who a claim is attributed to, what kind of claim it is, and how much it is worth reviewing.

Kind: `attributed` when a reporting verb or "according to" carries the claim; `assessment` when a
belief verb carries it ("analysts believe", "officials fear") or it is hedged ("likely", "may",
"it is possible"); otherwise `fact`.

Score, in [0, 1], says how likely the span is a claim worth a reviewer's time. It starts at 0.45 and adds
  +0.15 when the span names a person, organisation, place, nationality or event (+0.05 more for three or more),
  +0.10 when it holds a date or time,
  +0.10 when it holds a number, amount of money, percentage or quantity,
  +0.10 when it is attributed to a named speaker,
and subtracts
  0.10 for an assessment (hedged or analytic claims are weaker evidence),
  0.10 for fewer than six words,
  0.10 when the span names nothing at all and its subject is a pronoun (vague, context-bound).
The result is clipped to [0.05, 1].
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "state",
        "declare",
        "claim",
        "allege",
        "argue",
        "deny",
        "assert",
        "report",
        "write",
        "insist",
        "add",
        "note",
        "acknowledge",
        "admit",
        "conclude",
        "confirm",
        "announce",
        "emphasize",
        "emphasise",
        "stress",
        "accuse",
        "characterize",
        "describe",
        "explain",
        "contend",
        "maintain",
        "warn",
        "testify",
        "determine",
        "reveal",
        "disclose",
        "dispute",
        "reject",
        "blame",
        "charge",
        "dismiss",
        "denounce",
        "condemn",
        "refute",
        "rebut",
        "brand",
        "label",
        "recall",
        "caution",
        "concede",
    ]
)
BELIEF_VERBS = frozenset(
    {"believe", "think", "assess", "suspect", "fear", "worry", "doubt", "expect", "estimate", "suggest", "speculate"}
)
# Verbs that say something only when what follows is a clause: "analysts predicted that A", "the Secret
# Service indicated Gonzalez was tackled", "he vowed that B"; not "vowed revenge", "found the car".
CLAUSE_SPEECH_VERBS = frozenset(
    {
        "predict",
        "forecast",
        "indicate",
        "find",
        "tweet",
        "post",
        "reply",
        "respond",
        "comment",
        "remark",
        "observe",
        "mention",
        "complain",
        "boast",
        "reiterate",
        "repeat",
        "vow",
        "pledge",
        "promise",
        "assure",
        "inform",
    }
)
# Of those, the ones that name whom they tell ("promised Obama it would ...", "informed him that ...").
ADDRESSING_VERBS = frozenset({"promise", "assure", "inform"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# Verbs by which a speaker goes on to a statement of its own after what it said: "..., adding that B",
# "..., noting that B", "..., warning that B" ("pointing out" with its particle). ", saying B" and
# ", claiming B" most often give the content of the first statement, and stay with it.
FURTHER_STATEMENT_VERBS = frozenset(
    {"add", "note", "warn", "argue", "explain", "stress", "emphasize", "emphasise", "acknowledge", "concede", "point"}
)
# Verbs that report someone else's words through "as saying": "X was quoted by Y as saying ...".
QUOTING_VERBS = frozenset({"quote", "cite"})
HEDGES = frozenset(
    [
        "likely",
        "unlikely",
        "probably",
        "possibly",
        "perhaps",
        "presumably",
        "supposedly",
        "apparently",
        "possible",
        "probable",
        "conceivably",
        "seemingly",
    ]
)
HEDGE_VERBS = frozenset({"seem", "appear"})
HEDGE_VERB_FORMS = frozenset(form for verb in HEDGE_VERBS for form in (verb, f"{verb}s", f"{verb}ed"))
HEDGE_MODALS = frozenset({"may", "might", "could"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
SPEAKER_PLACES = frozenset({"GPE", "ORG", "LOC", "FAC"})
QUANTIFIERS = frozenset({"some", "others", "many", "few", "several", "most", "all"})
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
DATE_LABELS = frozenset({"DATE", "TIME"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "we", "i"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
SHORT_WORDS = 6
# What a clause hangs on after a comma: a dash, as the parser splits them.
COMMA_OR_DASH = frozenset({",", "-", "--", "\u2013", "\u2014"})
# Abbreviated titles before a name ("Det. Anna Berg", "Gen. John Nicholson"). After their full stop the parser
# may start a new sentence, leaving the title alone as the subject of "said".
TITLES = frozenset(
    {"Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Maj", "Capt", "Lt", "Sgt", "Cpl", "Det", "Insp", "Supt"}
    | {"Sen", "Rep", "Gov", "Rev", "St", "Mt", "Ft"}
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Attribution:
    speaker: str = ""
    cue: str = ""
    belief: bool = False


def content_words(tokens: Span | Doc) -> list[Token]:
    return [token for token in tokens if not token.is_punct and not token.is_space]


def subject_is_pronoun(sent: Span) -> bool:
    subjects = [child for child in sent.root.children if child.dep_ in SUBJECTS]
    return not subjects or all(child.pos_ in ("PRON", "DET") for child in subjects)


def _is_speech_verb(token: Token) -> bool:
    """A verb of saying; a verb of believing when what is believed is a clause ("officials fear that ...",
    "..., analysts believe"), not a thing ("Russia fears the Islamic State" is the claim itself); "call"
    when it names what something is ("called the report a fake")."""
    if token.pos_ != "VERB":
        return False
    if token.lemma_ in SPEECH_VERBS:
        return True
    if token.lemma_ in CLAUSE_SPEECH_VERBS:
        return _says_a_clause(token)
    if token.lemma_ == "point":
        return _points_out(token)
    if token.lemma_ == "continue":  # "“...,” she continued": what she went on to say, not what went on
        return any(child.dep_ == "ccomp" for child in token.children) and not any(
            child.dep_ in ("xcomp", "dobj") for child in token.children
        )
    if token.lemma_ in QUOTING_VERBS:
        return _as_saying(token) is not None
    if token.lemma_ in BELIEF_VERBS:
        return (
            token.dep_ in ("parataxis", "relcl")
            or any(child.dep_ in ("ccomp", "xcomp") for child in token.children)
            or not any(child.dep_ in ("dobj", "attr") for child in token.children)
        )
    return token.lemma_ == "call" and any(child.dep_ == "oprd" for child in token.children)


def _says_a_clause(verb: Token) -> bool:
    """Whether a verb that says something only of a clause has one: a complement with a subject of its own
    ("the autopsy found that Brown had been shot"), not a thing ("found the car", "found himself jobless",
    "posted a statement"), and not negated ("never mentioned what she did" says nothing)."""
    children = list(verb.children)
    if any(child.dep_ == "neg" for child in children):
        return False
    if verb.lemma_ not in ADDRESSING_VERBS and any(child.dep_ == "dobj" for child in children):
        return False
    return any(child.dep_ == "ccomp" and is_finite_clause(child) for child in children)


def is_finite(verb: Token) -> bool:
    """A verb with a tense ("was built", "shows", "will close"), not a participle or an infinitive standing
    alone ("Pooch passing through", "found the suspect face down")."""
    return verb.tag_ in FINITE_TAGS or any(
        child.dep_ in ("aux", "auxpass") and child.tag_ in FINITE_TAGS for child in verb.children
    )


def is_finite_clause(head: Token) -> bool:
    """A clause with a subject and a tense ("Brown had been shot", "it was a fake"), not the small clause of
    "found the suspect face down" or "found himself lying in a pool of blood"."""
    return is_finite(head) and any(
        child.dep_ in ("nsubj", "nsubjpass", "expl") and not child.lower_.endswith(("self", "selves"))
        for child in head.children
    )


def find_attribution(
    span: Span, last_speaker: str, quoted: Sequence[bool] = (), *, spoke_here: bool = True
) -> Attribution | None:
    """Who the span says is speaking, and the cue. A pronoun speaker is `last_speaker`: "he said" always,
    "it said" only when that speaker was named in the same paragraph (`spoke_here`; further away, "it" is
    more often a thing just mentioned). `quoted` marks the characters of the paragraph inside quotation
    marks: a verb of saying there is what is quoted ("… even Trump has denied."), not who speaks, and a
    verb outside them whose parse hangs it from a quoted one is taken as a main verb."""
    pronouns = PERSONAL_PRONOUNS | {"it"} if spoke_here else PERSONAL_PRONOUNS

    def inside(token: Token) -> bool:
        return bool(quoted) and quoted[token.idx]

    for token in span:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
            objects = [child for child in token.nbor().children if child.dep_ == "pobj"]
            speaker = _noun_phrase(objects[0], last_speaker, pronouns) if objects else ""
            return Attribution(speaker=speaker, cue="according to")
    candidates = [
        token
        for token in span
        if _is_speech_verb(token)
        and not inside(token)
        and (
            token.dep_ in ("ROOT", "parataxis", "relcl", "conj")
            or _goes_on_from(token)  # "X issued a map, claiming that ..."
            or token.head.i < span.start
            or token.head.i >= span.end
            or inside(token.head)
        )
    ]
    for verb in sorted(candidates, key=_depth):
        named = _speaker_of(verb, last_speaker, pronouns)
        if named is not None:
            cue = verb.text
            if _points_out(verb):
                cue = f"{verb.text} out"
            elif (saying := _as_saying(verb)) is not None:
                cue = f"{verb.text} as {saying.text}"
            return Attribution(speaker=named, cue=cue, belief=verb.lemma_ in BELIEF_VERBS)
    return None


def _as_saying(verb: Token) -> Token | None:
    """The "saying" of "quoted X as saying" when `verb` quotes someone that way."""
    if verb.lemma_ not in QUOTING_VERBS:
        return None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "as":
            for grand in child.children:
                if grand.tag_ == "VBG" and grand.lemma_ in SPEECH_VERBS:
                    return grand
    return None


def _speaker_of(verb: Token, last_speaker: str, pronouns: frozenset[str]) -> str | None:
    """Who speaks through a verb of saying ("" when no one is named), or None when the verb attributes
    nothing after all."""
    # Subjects of the verb itself, not a relative pronoun standing for the noun its clause is about.
    subjects = [
        child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass") and child.tag_ not in ("WDT", "WP")
    ]
    if verb.dep_ == "relcl":
        if not subjects:  # "X, who declared ..."
            return _noun_phrase(verb.head, last_speaker, pronouns)
        # "the laws, which the World Bank says are the strictest": the World Bank speaks, below; so does the
        # source of "..., a source said on Wednesday", which the parser may hang on a noun before it. In
        # "matters that even experts do not think about" no one says anything.
        trailing = verb.lemma_ in SPEECH_VERBS and verb.doc[subjects[0].left_edge.i - 1].text in COMMA_OR_DASH
        if not trailing and not any(child.dep_ in ("ccomp", "xcomp") for child in verb.children):
            return None
    if verb.lemma_ in QUOTING_VERBS:
        # The one quoted speaks: the subject of "X was quoted (by Y) as saying", the object of "Y quoted X
        # as saying".
        quoted = [child for child in verb.children if child.dep_ in ("nsubjpass", "dobj")]
        return _noun_phrase(quoted[0], last_speaker, pronouns) if quoted else None
    if not subjects and verb.dep_ == "conj":  # "X denied A and called it B"
        subjects = [child for child in verb.head.children if child.dep_ in ("nsubj", "nsubjpass")]
    elif not subjects and _goes_on_from(verb):  # "X said A, noting that B"; "X issued a map, claiming B"
        head = verb.head
        # The parser may hang the participle on what X said ("X warned that A would fail, arguing that B").
        while head.dep_ == "ccomp" and _is_speech_verb(head.head):
            head = head.head
        subjects = [child for child in head.children if child.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    subject = subjects[0]
    if _is_generic(subject):  # "one should point out that ...": the writer, to the reader
        return None
    if subject.dep_ == "nsubjpass":
        # "It is believed that ...", "X is said to have ...", "X was denied by the Kremlin": the speaker is
        # the one the agent names, if anyone ("confirmed by some facts" names no one). Other passives
        # ("X was reported") attribute nothing.
        agents = [
            grand
            for child in verb.children
            if child.dep_ == "agent"
            for grand in child.children
            if any(token.ent_type_ in SPEAKER_LABELS for token in (grand, *grand.lefts))
        ]
        if agents:
            return _noun_phrase(agents[0], last_speaker, pronouns)
        if subject.lower_ == "it" or any(child.dep_ == "xcomp" for child in verb.children):
            return ""
        return None
    if _is_demonstrative(subject):
        # "This suggests that ..." is the source's own reading; "This explains ..." is no one speaking.
        return "" if verb.lemma_ in BELIEF_VERBS else None
    return _noun_phrase(subject, last_speaker, pronouns)


def _is_generic(subject: Token) -> bool:
    """ "One" or "you" meaning anyone, with a modal ("one should note", "you can hardly blame"), not "one of
    the officials" or "said one"."""
    return (
        subject.lower_ in ("one", "you")
        and subject.n_lefts + subject.n_rights == 0
        and any(child.dep_ == "aux" and child.tag_ == "MD" for child in subject.head.children)
    )


def _goes_on_from(verb: Token) -> bool:
    """A participle of saying, after a comma or a dash, that hangs on the clause before it and says
    something (a clause, a quotation): the subject of that clause speaks ("X issued a map, claiming that
    B"), not someone named just before it ("with groups saying B"), and a thing done ("..., declaring a
    caliphate") is not speech."""
    return (
        verb.tag_ == "VBG"
        and verb.head.i < verb.i
        and verb.dep_ in ("advcl", "xcomp", "conj")
        and verb.i > 0
        and verb.doc[verb.i - 1].text in COMMA_OR_DASH
        and any(child.dep_ == "ccomp" or (child.dep_ == "punct" and child.text in ':"\u201c') for child in verb.rights)
    )


def is_further_statement(verb: Token) -> bool:
    """A participle by which the subject of the clause before goes on to a statement of its own:
    "..., adding that B", "..., pointing out that B"."""
    if verb.lemma_ not in FURTHER_STATEMENT_VERBS or not _goes_on_from(verb):
        return False
    return verb.lemma_ != "point" or _points_out(verb)


def _points_out(verb: Token) -> bool:
    """ "Point out", which says something; "point" alone ("points to the gap") does not."""
    return verb.lemma_ == "point" and any(child.dep_ == "prt" and child.lower_ == "out" for child in verb.children)


def _is_demonstrative(token: Token) -> bool:
    """ "This", "that" pointing at something; not the relative "that" of "the ministry that denied it"."""
    return token.lower_ in DEMONSTRATIVES and token.tag_ != "WDT"


def person_subject(span: Span) -> str:
    """The person a clause is about, when its subject names one ("Putin spoke at the ceremony"): whom a
    "he" that follows most likely means."""
    subjects = [child for child in span.root.children if child.dep_ == "nsubj"]
    if subjects and subjects[0].ent_type_ == "PERSON":
        return _noun_phrase(subjects[0], "")
    return ""


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def _noun_phrase(head: Token, last_speaker: str, pronouns: frozenset[str] = PERSONAL_PRONOUNS) -> str:
    """The speaker's name: the entity the head word belongs to (or names in apposition), else the
    noun phrase up to its head plus an "of" complement, without a leading article."""
    if head.lower_ in pronouns:
        return last_speaker
    if head.lower_ == "it" or _is_demonstrative(head):  # a thing, or a speaker too far back to tell
        return ""
    if head.lower_ in QUANTIFIERS and head.pos_ in ("PRON", "DET"):  # "Some have called it reckless"
        return ""
    if head.lower_ in ("who", "which", "that"):  # a relative pronoun: the noun its clause is about
        clause = head.head
        return _noun_phrase(clause.head, last_speaker, pronouns) if clause.dep_ == "relcl" else ""
    doc = head.doc
    name = doc[head.i + 2 : head.i + 3]
    if head.text in TITLES and doc[head.i + 1 : head.i + 2].text == "." and name and name[0].ent_iob_ == "B":
        head = name[0]  # "said Det. Anna Berg": the name after the title speaks
    if head.ent_type_ in NAMED_LABELS:
        first, last = head.i, head.i + 1
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        while last < len(doc) and doc[last].ent_iob_ == "I":
            last += 1
        first = _after_a_colon(doc, first, head.i)
        return " ".join(_ARTICLE.sub("", doc[first:last].text).split())
    for child in head.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return _noun_phrase(child, last_speaker, pronouns)
    end = head.i + 1
    for child in head.rights:
        # "the head of US forces"; "officials in Washington", "diplomats at the UN": where they speak from.
        placed = child.lower_ in ("in", "at") and any(grand.ent_type_ in SPEAKER_PLACES for grand in child.children)
        if child.dep_ == "prep" and (child.lower_ == "of" or placed):
            end = child.right_edge.i + 1
        else:
            break
    for token in doc[head.i + 1 : end]:
        if token.dep_ == "appos" and token.ent_type_ == "PERSON":  # "a member of the union, Mohammed Haruna,"
            return _noun_phrase(token, last_speaker, pronouns)
    start = _after_a_colon(doc, head.left_edge.i, head.i)
    while start < head.i and (doc[start].dep_ in ("det", "punct", "cc") or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return " ".join(doc[start:end].text.split())  # blanked tags and line noise collapse to single spaces


def _after_a_colon(doc: Doc, start: int, head: int) -> int:
    """Where a speaker's name starts when the parser ran it back across a colon or a semicolon ("was sold to
    Orla Holdings: Officials confirmed ..."): after the last of them before its head word."""
    return max([start] + [token.i + 1 for token in doc[start:head] if token.text in (":", ";")])


def claim_kind(span: Span, attribution: Attribution | None) -> str:
    if attribution is not None:
        return "assessment" if attribution.belief else "attributed"
    root = span.root
    for token in span:
        if token.lower_ in HEDGES:
            return "assessment"
    if root.lemma_ in HEDGE_VERBS or any(
        child.dep_ in ("aux", "auxpass") and child.lower_ in HEDGE_VERB_FORMS for child in root.children
    ):  # "seems to", and "appears designed to", where the parser may take "appears" for an auxiliary
        return "assessment"
    if any(child.dep_ == "aux" and child.lower_ in HEDGE_MODALS for child in root.children):
        return "assessment"
    return "fact"


def claim_score(span: Span, entities: list[dict], kind: str, attribution: Attribution | None) -> float:
    labels = [entity["label"] for entity in entities]
    named = sum(label in NAMED_LABELS for label in labels)
    score = 0.45
    if named:
        score += 0.15 + (0.05 if named >= 3 else 0)
    if any(label in DATE_LABELS for label in labels):
        score += 0.1
    if any(label in NUMBER_LABELS for label in labels):
        score += 0.1
    if attribution is not None and attribution.speaker:
        score += 0.1
    if kind == "assessment":
        score -= 0.1
    if len(content_words(span)) < SHORT_WORDS:
        score -= 0.1
    if not entities and subject_is_pronoun(span):
        score -= 0.1
    return round(min(1.0, max(0.05, score)), 3)
