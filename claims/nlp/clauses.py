"""The clause-level proposer: one proposal per claim, not per sentence.

Working over one paragraph's parse:

1. Paragraphs that are not prose are dropped whole: a line that is one short sentence repeating the
   source's title (the headline, and link text repeating it further down) or a first line in title case,
   and any short line without final punctuation (section headings, bylines, datelines, link text,
   "Source: X" labels), except a line of prose that leads with a colon into what follows and says
   something itself ("The club sent a statement to Business Insider:"), a photo caption with a label
   ("Not him: A London rapper was ruled out"), and bullet points that tell what happened in the past tense
   next to each other ("The copper box was entombed in 1795"). A first line that is a sentence
   ending with a full stop, followed by a paragraph of prose, is the story's first sentence (a text
   pasted without its headline), not a headline: headlines end without one, or before a byline; nor is a
   sentence that is the whole text. A caption's label ("Secluded: ...") is no part of its claim. A dateline that
   opens a paragraph ("MOSCOW —", "KABUL, Afghanistan (AP) —") is blanked for the parser with
   inline tags (`claims.nlp.spans.for_parser`), so it is neither part of a claim nor its speaker; so is an
   update label before news ("UPDATE:", "BREAKING:").
2. Sentences are joined where spaCy broke one quotation in two, or ended one at the quotation's own full
   stop before a bare attribution ("“...” Lena Voss said."), so a quotation stays in one piece with its
   attribution, and where it broke a sentence after a bare word ("... is Hwang Pyong | So, who ...") or
   a title ("said Det. | Anna Berg"); a flattened list's date glued to the end of a sentence
   ("...collapsed.1994") is cut off.
3. Sentences that are not claims are dropped: questions (a quoted one with who asked it too), fragments
   without a verb (lone dates, captions; a verb the tagger read as a noun before "back", "out" … counts),
   bylines and wire credits ("(Reporting by ...; Editing by ...)"),
   image credits, site boilerplate (republication notices included), lines about the article (credits for reporting,
   corrections, "This story has been updated", "UPDATE: Adds comment from ...", caption labels; news after
   an "UPDATE:" label is kept, without the label), instructions to the reader ("Please enable
   JavaScript", "Watch the video below, via YouTube"), the newsroom's notes on its own reporting ("We've
   reached out to the ministry for comment"), author bios, and very short sentences that hold no entity and stand on a
   pronoun ("This has changed."), unless they quote speakers saying what they did ("“We have never
   paid anyone.”").
4. A sentence is split where it joins independent claims: main clauses coordinated under the sentence's
   root ("X denied A but has admitted B", "X did A, and Y did B"), verb phrases with objects of their own
   joined by "and" or "but" ("X served in Kabul and returned as ambassador"), or by a bare comma after the
   main verb in its tense ("X felt marginalized, thought B"; "X shelled the town, then withdrew"), a clause
   in parentheses that ends the sentence ("... (it earns $400 million a year)"), a closing clause that sets
   a second claim against the first ("X denied A, whereas Y said B"; "although", "though", and "while"
   when it does not tell when), a main clause after ", so" ("A, so Russia has extended its hand"),
   ", adding that B" (", noting that B", ", warning that B", ...) after what a speaker said, and clauses
   joined by a semicolon or a dash (not a noun phrase after a dash, "— a claim Moscow denies", nor a
   relative clause, "— which ..."), or by a colon before a clause of its own ("X chose a cheaper plan: It
   raised the fees"; not before a quotation the words before introduce, "X issued a statement: “...”").
   Coordinated verbs stay together where the sentence does not assert each: alternatives ("either A or
   B"), what "nor" denies together, a closing "..., the office announced", and a first verb with nothing
   of its own ("agreed and said ...", "weighed and measured both crates"). Nothing inside quotation marks
   (double ones, or single ones where a paragraph has no double ones) is split: a quotation is one
   speaker's statement.
5. Each claim gets its attribution (speaker and cue: "according to X", "X said", "X, who declared ...",
   "X called it Y", "..., officials said, ...", "X was quoted as saying", "X did A, claiming that B", "a survey
   found that A", "X predicted B", "X tweeted that C", not "X found the boat" nor "X never mentioned D"; a
   quotation that follows an attributed one inherits its speaker, "he said" names the last speaker, even
   of a paragraph before, and "it said" the last of the same paragraph; a line that only says who speaks
   next, "X said:" (not "As I wrote:"), makes the paragraph after it X's, and so does a transcript's
   label, "X: ...", where X is a person who labels other paragraphs too; a verb of saying inside a
   quotation is what is quoted, not the cue), its kind, and its entities.

Attribution, kind and score are worked out in `claims.nlp.attribution`.
"""

import re

from spacy.tokens import Doc, Span, Token

from claims.nlp.attribution import (
    BELIEF_VERBS,
    COMMA_OR_DASH,
    FURTHER_STATEMENT_VERBS,
    HEDGE_MODALS,
    PERSONAL_PRONOUNS,
    SHORT_WORDS,
    SPEECH_VERBS,
    SUBJECTS,
    TITLES,
    Attribution,
    claim_kind,
    claim_score,
    content_words,
    find_attribution,
    is_finite,
    is_finite_clause,
    is_further_statement,
    person_subject,
    subject_is_pronoun,
)
from claims.nlp.spans import UPDATE_LABEL, UPDATE_NOTE, ProposedSpan, span_entities, trim

NAME = "clauses"
# 2: inline tags blanked for the parser (claims.nlp.spans.for_parser); 3: verb phrases split; 4: wire and web
# layouts (datelines, credits, lines about the article, notes to the reader), contrasting clauses, and speakers
# (quotations, passives, pronouns across paragraphs); 5: link text after a paragraph's last sentence, bios of
# analysts and spokespeople, signposts ("Here's what ..."), words between "but" and its clause, longer
# unpunctuated lines (not list items) as headings or links; 6: a verb phrase in the root's tense raised out of its
# complement, ", adding that ...", links to other stories, update notes, quotations in single marks; 7: ", noting
# that ...", ", warning that ..." and the like split as ", adding that ..." is, news after an "UPDATE:" label kept
# without it, "X was quoted as saying" attributed to X, a sentence spaCy broke after a bare word joined again,
# a quotation closed by a straight single mark no longer taken for link text, a quotation kept with the bare
# attribution after its own full stop, a quoted question dropped with it; 8: wire credits too long for a
# byline, republication bans, opinion disclaimers, appeals for support and live blogs' time zones dropped,
# an interview's answer label ("A:") blanked for the parser; 9: a main clause after ", so" split, a sentence whose
# phrasal verb the tagger read as a noun ("links ... date back") kept, "X said:" making the next paragraph X's;
# 10: a second verb of the main verb after a bare comma ("felt marginalized, thought ...") and a clause in
# parentheses that ends a sentence split off; 11: "X said that A, and that B" split, a title's full stop no
# longer a sentence's end, nor a sentence opening with a name in small letters ("iGen.fr has") a
# continuation, a line leading into what follows with a colon kept when it says something, "not only A but
# also B" kept whole, a journalist named in a claim no longer making it a bio, a first line in title case a
# headline; 12: a first line that ends with a full stop before a paragraph of prose is the story's first
# sentence, not a headline; the name after a title is the speaker ("said Det. Anna Berg"), not the title;
# syndication links ("Click for more from ..."), emphasis notes and a live page's promises dropped; verbs
# joined by "or"/"nor" or sharing a hedge ("could A and B"), a trailing "..., the office announced Monday",
# and a first verb with nothing of its own ("agreed and said", "weighed and measured both crates") no longer
# split, nor anything inside parentheses; a colon between two clauses split; a transcript's speaker labels
# ("Van Susteren: ...") the speaker, not part of the claim; 13: verbs that report a clause ("a survey found that
# ...", "predicted", "tweeted", "vowed", "indicated") attribute it; a text that is one sentence is no headline; a
# second verb the tagger took for an adjective split as a verb when it has an object; "X told Y" after a comma
# kept as the attribution; a participle with "by" the parser took for the main verb ("X, a group labeled Y by Z,
# has ...") not split from the verb that is; words of up to a dozen between "and" and the second clause open it,
# and so does a subject the parser coordinated with the noun before it ("at 10 AM and Kessel Radio will be ...");
# verbs sharing a subject before a closing "according to X" not split; photo captions without their label, and
# bullet points in the past tense without full stops, kept; a byline run into a dateline blanked with it; no
# cut at a title's colon ("Star Wars: The Force Awakens", "Avengers 2: Age of Ultron"); no speaker read back across
# a colon; a clause with its own subject and tense after "and" that the parser hung on the root as an adverbial
# split; 14: a clause the parser read as a participle of the next clause's subject ("Nelson's film career dried
# up in the 1990's and in recent years he has found work") split off; an instruction to the reader that names
# something ("Watch the video below, via YouTube") dropped unless it holds a clause of its own, and so are the
# newsroom's notes on its reporting ("We've reached out to Apple for comment").
# Details: README, "Claim proposals".
VERSION = "14"

OPEN_QUOTES = "\u201c\u2018"
CLOSE_QUOTES = "\u201d\u2019"
FINAL_PUNCTUATION = '.!?")\u2026' + CLOSE_QUOTES
DASHES = COMMA_OR_DASH - {","}
# Subordinators that set a second claim against the main clause.
CONTRASTS = frozenset({"whereas", "while", "although", "though"})
RELATIVE_WORDS = frozenset({"which", "who", "whom", "whose", "where"})
PARTICLES = frozenset({"back", "out", "up", "down", "off", "away"})
# Verbs that follow a quotation to say who spoke it, or asked it.
ATTRIBUTING_VERBS = SPEECH_VERBS | {"ask", "wonder", "continue", "reply"}
# What makes a verb phrase a predicate of its own: an object or a complement.
COMPLEMENTS = frozenset({"dobj", "dative", "attr", "acomp", "oprd", "prep", "xcomp", "ccomp", "agent"})

# Words that open a sentence far more often than they go on one after a name: a break before one is real.
_OPENING_DETERMINERS = frozenset({"The", "A", "An", "This", "That", "These", "Those"})
SENTENCE_OPENERS = _OPENING_DETERMINERS | {"It", "Its", "He", "She", "They", "We", "I", "You", "His", "Her", "There"}
# A line of one sentence this long at most is a headline; without closing punctuation, also a heading, a
# caption or a link to another story (a line of prose ends with its punctuation), unless it is a list item.
HEADLINE_MAX_WORDS = 25
_WEB_ADDRESS = re.compile(r"https?://|www\.|pic\.twitter\.com", re.IGNORECASE)
# Labels of links to other stories, not captions ("MORE: ...", "WATCH: ...").
LINK_LABELS = frozenset({"more", "see also", "read more", "read", "related", "watch", "video", "click", "also read"})
# A line ending with a colon this long at least, with a subject and a verb, says something before what it
# introduces (see _leads_into_what_follows).
LEAD_IN_MIN_WORDS = 8
# What a newsroom says it did or will do to report a story (see _about_the_reporting).
REPORTING_STEPS = frozenset({"reach", "ask", "contact", "update", "email", "try", "attempt", "request"})
POINTERS = frozenset({"here", "this", "these", "below", "above", "watch", "see", "listen", "read", "look", "check"})
_LIST_ITEM = re.compile(r"^(?:[-*\u2022\u2013\u2014]|\d{1,2}[.)])\s")
_GLUED_DATE = re.compile(
    r"(?<=[.!?\"\u201d\u2019])(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s)?"
    r"\d{4}(?:\s?[-\u2013]\s?\d{4})?$"
)
# Titles before a name ("said Det. James Patterson"): the parser may end a sentence at their full stop.
_ABBREVIATION = re.compile(rf"(?:^|[\s(])(?:{'|'.join(sorted(TITLES))})\.$")
# A name that opens with a small letter ("iGen.fr", "iPhone", "eBay"): it may open a sentence.
_NAME_IN_LOWER_CASE = re.compile(r"[a-z]+[A-Z]|[a-z]+\.[a-z]{2,}")
_GLUED_TOKEN = re.compile(r"[A-Za-z][.!?]\d")
_BYLINE = re.compile(
    r"^\(?(?i:(?:(?:story|written|writing|reporting|reported|additional reporting|editing|edited|words|text|photos?)"
    r"\s+)?by)\s+[A-Z][a-z]+"
)
# A wire service's credits, in parentheses or more than one: "(Reporting by A in Moscow; Additional
# reporting by B; Editing by C)". One credit outside parentheses is a byline (_BYLINE).
_CREDIT_PART = (
    r"(?:additional |further )?(?:reporting|writing|editing|research|graphics|compiled|produced) by [^;()]{1,60}"
)
_WIRE_CREDITS = re.compile(
    rf"^(?:\({_CREDIT_PART}(?:; ?{_CREDIT_PART})*\)|{_CREDIT_PART}(?:; ?{_CREDIT_PART})+)\.?$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:photo|image|picture|illustration|video|credit|file photo|caption)s?\b[^.]{0,80}[:/|]|"
    r"getty images|shutterstock|\bap photo\b|\bafp via\b|/\s?reuters\b|\(photo\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"subscribe|newsletter|sign up|all rights reserved|copyright|©|click here|read more|recent features|"
    r"related (?:articles|stories|posts)|follow (?:us|him|her|them)\b|share this|advertisement|cookies?\b|"
    r"originally (?:appeared|published|ran) (?:in|on)\b|\bthis (?:article|story|page|post|piece)\b|"
    r"\bmay not be (?:re)?(?:published|broadcast|reproduced|rewritten|redistributed)\b|\binbox\b|"
    r"\bjavascript\b|\bour (?:full )?coverage\b|\bsee also\b|^click (?:for|to)\b|"
    r"@\w+|\b\S+@\S+\.\w+",
    re.IGNORECASE,
)
# Lines about the article rather than its story: credits, corrections, updates, caption labels, players,
# signposts to what follows.
_ABOUT_THE_ARTICLE = re.compile(
    r"^(?:corrections?|clarifications?|editor['\u2019]s notes?)\s*:|"
    r"\b(?:contributed|contributing) (?:reporting|to this (?:report|story|article))\b|"
    r"\b(?:this|the) (?:story|article|post|piece) (?:has been|was) (?:updated|corrected|amended)\b|"
    r"\ban earlier version of this (?:story|article|post|piece)\b|"
    r"^updated (?:to (?:clarify|correct|reflect|include|add|remove|note)|(?:at|on) \d)|"
    r"^(?:image|media|video) (?:caption|copyright|source)\b|"
    r"\bmedia playback is unsupported\b|^all times (?:are|shown|given)\b|^\(?emphasis (?:added|mine|ours)\b|"
    r"^more (?:pictures|photos|images|details|updates) (?:will|to) (?:be posted|be added|follow|come)\b|"
    # The outlet's disclaimer on an opinion piece, and its appeals for support.
    r"^(?:the |any )?(?:views|opinions) expressed\b|"
    r"^(?:please )?(?:consider )?support(?:ing)? (?:our|independent|quality) journalism\b|"
    r"^here(?:['\u2019]s| is| are) (?:what|how|why|who|a look|the latest|everything)\b|"  # what follows in it
    # Links to other stories: "Related: ...", "SEE ALSO: ...", "Read more ...", and "Related" glued to the
    # headlines of a link list ("RelatedApple Watch features were ditched ...").
    r"^(?:related(?: articles?| stories| posts| coverage| content| links?| reading)?|see also|also read|"
    r"more on this(?: story)?|recommended|you (?:may|might) also like)\s*:|^read more\b|^related(?-i:[A-Z])",
    re.IGNORECASE,
)
_BIO_WORDS = re.compile(
    r"\b(?:journalist|reporter|correspondent|writer|editor|columnist|contributor|freelancer?|blogger|"
    r"author of|writes (?:about|on|for)|covers|(?:senior |research |visiting |non-resident )?fellow at|"
    r"researcher|professor|lecturer)\b",
    re.IGNORECASE,
)
_BIO_ROLES = re.compile(
    r"\b(?:analyst|spokes(?:person|man|woman)|program(?:me)? officer|consultant|commentator|scholar)\b",
    re.IGNORECASE,
)


def propose(doc: Doc, offset: int) -> list[ProposedSpan]:
    text = doc.text  # Doc.text joins every token each time it is read: once per paragraph
    last_speaker = doc.user_data.get("previous_speaker", "")  # who spoke last in the paragraphs before
    if (introduces := _introduced_speaker(doc, text, last_speaker)) is not None:
        doc.user_data["introduces_speaker"] = introduces  # the pipeline hands it to the next paragraph
        return []
    if _is_not_prose(doc, offset, text):
        return []
    # Quotation marks: double ones, or single ones in a paragraph that has no double ones (British style).
    single_marks = not _has_double_quotes(text)
    quoted = _single_quoted_chars(text) if single_marks else _quoted_chars(text)
    ents = doc.ents
    proposals: list[ProposedSpan] = []
    introduced: Attribution | None = doc.user_data.get("introduced_speaker")
    spoke_here = False
    units = _sentence_units(doc, text, quoted if single_marks else None)
    if len(units) > 1 and _is_trailing_link_text(units):
        units.pop()
    if offset > 0 and (label := _speaker_label(doc)) is not None:
        # A transcript's "Van Susteren: Hold on.": the name speaks, and is no part of what is said.
        name, after = label
        introduced = Attribution(speaker=name, cue=":")
        units = [doc[max(unit.start, after) : unit.end] for unit in units if unit.end > after]
    elif offset > 0 and (caption := _caption_label(doc)) is not None:
        # A photo caption's "Secluded: The villa was built ...": the label is no part of the claim.
        units = [doc[max(unit.start, caption) : unit.end] for unit in units if unit.end > caption]
    for unit in units:
        raw = text[unit.start_char : unit.end_char]
        if _is_not_a_claim(unit, raw, single_marks) or (not quoted[unit.start_char] and _about_the_reporting(unit)):
            # A quoted question is no claim, but whoever asked it goes on speaking in the quotations after it.
            if _opens_quotation(raw.lstrip()[:1], single_marks):
                asked = find_attribution(unit, last_speaker, quoted, spoke_here=spoke_here)
                if asked is not None and asked.speaker:
                    last_speaker, spoke_here = asked.speaker, True
            continue
        said_here: Attribution | None = None  # the last attribution of this sentence
        for start, end in _clauses(doc, text, unit, quoted):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            attribution = find_attribution(span, last_speaker, quoted, spoke_here=spoke_here)
            if introduced is not None and (attribution is None or not attribution.speaker):
                attribution = introduced  # "Lena Voss said:" on the line before
            elif attribution is None and _opens_quotation(text[start : start + 1], single_marks) and last_speaker:
                attribution = Attribution(speaker=last_speaker)
            elif attribution is None and said_here is not None and span[0].lower_ == "that" and span[0].dep_ == "mark":
                attribution = said_here  # "X said that A, | and that B": B is X's too
            if attribution is not None and attribution.speaker:
                last_speaker, spoke_here, said_here = attribution.speaker, True, attribution
            elif person := person_subject(span):
                last_speaker = person  # "Putin spoke at the ceremony. He compared ...": "he" is Putin
            entities = span_entities(ents, offset, offset + start, offset + end)
            kind = claim_kind(span, attribution)
            proposals.append(
                ProposedSpan(
                    start=offset + start,
                    end=offset + end,
                    text=text[start:end],
                    score=claim_score(span, entities, kind, attribution),
                    kind=kind,
                    speaker=attribution.speaker if attribution else "",
                    cue=attribution.cue if attribution else "",
                    entities=entities,
                )
            )
    return proposals


# --- What is not a claim ----------------------------------------------------------------------


def _is_not_prose(doc: Doc, offset: int, paragraph: str) -> bool:
    """Headlines, headings, bylines, labels: a short line that does not end a sentence, or a source's
    first line when it is a single short sentence that repeats the source's title."""
    text = paragraph.strip()
    if not text:
        return True
    text = text[: _cut_glued_date(text, 0, len(text))]
    words = len(content_words(doc))
    one_sentence = len(list(doc.sents)) == 1
    if one_sentence and not _ends_a_sentence(text) and words <= HEADLINE_MAX_WORDS:
        return not (
            _LIST_ITEM.match(text)
            or _leads_into_what_follows(doc, text, words)
            or (offset > 0 and (_caption_label(doc) is not None or _reports_what_happened(doc, text, words)))
        )
    if not one_sentence or words > HEADLINE_MAX_WORDS or (offset == 0 and _is_a_lead(doc, text)):
        return False
    # The headline opens a source; further down, a line that repeats it is link text or page furniture.
    # A first line in title case is a headline too, whatever the source's title.
    return ((offset == 0 or "source_title" in doc.user_data) and _repeats_title(doc, text)) or (
        offset == 0 and _in_title_case(text)
    )


def _caption_label(doc: Doc) -> int | None:
    """The label of a photo caption ("Secluded: The island's villa was built ...", "Not him: Abdel Bary was
    ruled out"): a few words that are no clause, a colon, then a clause with a subject of its own in capitals.
    Returns the index of the first token after the colon. Links to other stories ("MORE: ...", "SEE ALSO:
    ...") and what the words before a colon say themselves ("The reason is simple: ...") have none."""
    colon = next((token for token in doc[:7] if token.text == ":"), None)
    if colon is None or colon.i == 0 or colon.i + 1 >= len(doc) or not colon.whitespace_:
        return None
    label = doc[: colon.i]
    if label.text.strip().lower() in LINK_LABELS or any(_is_clause(token) for token in label):
        return None
    if not label[0].is_alpha or any(token.is_quote for token in label):
        return None  # a title in quotation marks ("“Star Wars: The Force Awakens” is ...")
    if all(token.pos_ == "PROPN" for token in label) or UPDATE_LABEL.match(doc.text):
        return None  # a name (a speaker, a dateline) or "UPDATE:", which have rules of their own
    rest = doc[colon.i + 1 :]
    if not rest[0].text[:1].isupper() or len(content_words(rest)) < 4 or _in_title_case(rest.text):
        return None
    if rest[0].tag_ in ("WRB", "WP", "WDT"):
        return None  # a heading ("Analysis: Why the leader is still in charge")
    if not any(_is_clause(token) and is_finite(token) for token in rest):
        return None
    return colon.i + 1


def _reports_what_happened(doc: Doc, text: str, words: int) -> bool:
    """A line without a full stop that tells what happened, as a story's bullet points do ("The copper box was
    entombed in the state capitol in 1795", "More than 200 schoolgirls were kidnapped in April"): a clause in
    the past or perfect tense with a subject, of some length, not in title case, next to another line without
    a full stop. A headline tells it in the present ("Secret Service erects second barrier")."""
    root = next(iter(doc.sents)).root
    if words < 6 or _in_title_case(text) or not _is_clause(root) or _WEB_ADDRESS.search(text):
        return False  # a line with a web address is a link or an embedded post
    # Bullet points come in a list; a line like that alone between paragraphs is most often a link to
    # another story.
    neighbours = (doc.user_data.get(key, "").strip() for key in ("previous_paragraph", "next_paragraph"))
    if not any(line and not _ends_a_sentence(line) for line in neighbours):
        return False
    auxiliaries = [child for child in root.children if child.dep_ in ("aux", "auxpass")]
    past = root.tag_ == "VBD" or (root.tag_ == "VBN" and any(aux.tag_ == "VBD" for aux in auxiliaries))
    return past or any(aux.lemma_ == "have" for aux in auxiliaries)


def _is_a_lead(doc: Doc, text: str) -> bool:
    """A first line that is the story's opening sentence rather than its headline (a text pasted without its
    headline, where the first line is taken for the title): a sentence of prose that ends with a full stop,
    as headlines do not, with a subject and a verb, not in title case, followed by a paragraph of prose. A
    headline that ends with a full stop is followed by a byline or a standfirst without one ("Story by ..."). A
    sentence that is the whole text is no headline either: a headline heads something."""
    following = doc.user_data.get("next_paragraph")
    if not text.endswith(".") or following is None or _in_title_case(text):
        return False
    if (following := following.strip()) and not _ends_a_sentence(following):
        return False
    return _is_clause(next(iter(doc.sents)).root)


def _in_title_case(text: str) -> bool:
    """Most of a line's longer words capitalised, as headlines are ("Turkey Farm Contaminated With Ebola, Over
    250,000 Turkeys Infected"), not a sentence of prose (whose names are capitalised, its other words not)."""
    words = [word for word in re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text) if len(word) > 3]
    return len(words) >= 4 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def _leads_into_what_follows(doc: Doc, text: str, words: int) -> bool:
    """A line of prose that ends with a colon before what it introduces, and says something itself ("The
    club sent a statement to Business Insider:", "Officials issued a release calling the report untrue:"):
    not a heading. A short label ("Nonetheless:", "The statement read:") is none, nor a pointer to what
    follows ("Here is the clip that got Reddit's attention:", "Images from the video are below:", "Watch
    the minister announce it below:")."""
    if not text.endswith(":") or words < LEAD_IN_MIN_WORDS or doc[0].lower_ in POINTERS:
        return False
    root = next(iter(doc.sents)).root
    return (
        root.pos_ == "VERB"
        and root.lemma_ not in POINTERS
        and any(child.dep_ in SUBJECTS and child.lower_ not in POINTERS for child in root.children)
    )


def _introduced_speaker(doc: Doc, paragraph: str, last_speaker: str) -> Attribution | None:
    """A paragraph that only says who speaks next, ending with a colon ("Inspector Lena Voss said:", "He told
    reporters:"): no claim itself, it makes the next paragraph that speaker's words."""
    if not paragraph.rstrip().endswith(":") or len(content_words(doc)) > 14:
        return None
    sentences = list(doc.sents)
    if len(sentences) != 1:
        return None
    root = sentences[0].root
    if root.lemma_ not in ATTRIBUTING_VERBS or any(
        child.dep_ in ("ccomp", "xcomp", "attr")
        or (child.dep_ == "dobj" and root.lemma_ != "tell")
        or (child.dep_ in SUBJECTS and child.lower_ in ("i", "we"))  # "As I wrote in May:": the writer's own
        for child in root.children
    ):
        return None
    attribution = find_attribution(sentences[0], last_speaker)
    return attribution if attribution is not None and attribution.speaker else None


def _speaker_label(doc: Doc) -> tuple[str, int] | None:
    """A transcript's speaker label opening the paragraph ("Van Susteren: Hold on.", "Hunter: Yes."): a
    person's name, all of it, in words of capital and small letters, that labels other paragraphs of the
    text too, then a colon and what they said; not on a story's first line, where "Jaipur:" is a dateline.
    Returns the name and the index of the first token after the colon. A label that names no person
    ("Talent: Nikolai shows off ...", "STORY: ...", "9.59am: ...") is none, nor a title's colon ("Batman V.
    Superman: Dawn of Justice")."""
    colon = next((token for token in doc[:4] if token.text == ":"), None)
    if colon is None or colon.i == 0 or colon.i + 1 >= len(doc) or not colon.whitespace_:
        return None
    name = doc[: colon.i]
    if name.text not in doc.user_data.get("speaker_labels", ()):
        return None  # a label the text uses once (see claims.nlp.spans.transcript_labels)
    if name[0].ent_iob_ != "B" or doc[colon.i + 1].pos_ == "PROPN":
        return None
    if not all(token.ent_type_ == "PERSON" and token.is_alpha and token.is_title for token in name):
        return None
    return name.text, colon.i + 1


def _is_trailing_link_text(units: list[Span]) -> bool:
    """A paragraph's last sentence without closing punctuation after sentences that have it: a link or a
    caption the page put at the end of the paragraph ("... publicly known." Trump says U.S. intelligence
    did not find reports credible). A sentence of prose ends with its punctuation."""
    last = units[-1].text.strip()
    last = last[: _cut_glued_date(last, 0, len(last))]  # "... for power.1991": a timeline's next date
    return (
        bool(last)
        and not _ends_a_sentence(last)
        and last[-1] not in ":;,"
        and _ends_a_sentence(units[-2].text.strip())
        and len(content_words(units[-1])) <= HEADLINE_MAX_WORDS
    )


def _ends_a_sentence(text: str) -> bool:
    """Closing punctuation ends it, also before a straight closing mark ('... are failing.'); a word
    before one does not ("... paid 'bounties'")."""
    return text.rstrip("'")[-1:] in tuple(FINAL_PUNCTUATION)


def _repeats_title(doc: Doc, text: str) -> bool:
    """Whether a source's first line is its title. Without a known title the first line is taken
    for a headline, where sources put theirs."""
    title = doc.user_data.get("source_title", None)
    if title is None:
        return True
    title, line = _comparable(title), _comparable(text)
    shorter, longer = sorted((title, line), key=len)
    return bool(shorter) and longer.startswith(shorter) and len(shorter) >= 0.6 * len(longer)


def _comparable(text: str) -> str:
    return " ".join("".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace()).split())


def _opens_quotation(text: str, single_marks: bool) -> bool:
    """Whether `text` opens with a quotation mark: a double one, or a single one where the paragraph quotes
    with single marks (a straight one opens a quotation only there; see _single_quoted_chars)."""
    first = text[:1]
    return first in OPEN_QUOTES + '"' or (single_marks and first == "'")


def _is_not_a_claim(sent: Span, raw: str, single_marks: bool) -> bool:
    """`raw` is the sentence's text (Span.text rebuilds it from the tokens each time it is read);
    `single_marks`, whether its paragraph quotes with single marks."""
    text = raw.strip()
    words = content_words(sent)
    if not words or not any(ch.isalpha() for ch in text):
        return True
    closing = CLOSE_QUOTES + ("\"'" if single_marks else '"')
    if text.rstrip(closing).endswith("?"):
        return True
    if any("?" + mark in text for mark in closing) and _is_quoted_question(sent, closing):
        return True
    has_verb = any(token.pos_ in ("VERB", "AUX") for token in sent) or _verb_tagged_as_noun(sent)
    if not has_verb and not any(_GLUED_TOKEN.search(token.text) for token in sent):
        return True
    if (_BYLINE.match(text) and len(words) <= 12) or _CREDIT.search(text) or _WIRE_CREDITS.match(text):
        return True
    if (len(words) <= 15 and _BOILERPLATE.search(text)) or _ABOUT_THE_ARTICLE.search(text):
        return True
    if (label := UPDATE_LABEL.match(text)) and UPDATE_NOTE.match(text, label.end()):
        return True  # "UPDATE: Adds comment from ..." (before news, the label is blanked: see for_parser)
    if _addresses_the_reader(sent, raw, single_marks):
        return True
    if _is_bio(sent, raw):
        return True
    if len(words) >= SHORT_WORDS or sent.ents or not subject_is_pronoun(sent):
        return False
    # A short quotation in which speakers say what they did ("“We have never paid anyone.”") is a claim.
    return not (
        _opens_quotation(text, single_marks)
        and any(child.lower_ in PERSONAL_PRONOUNS for child in sent.root.children if child.dep_ in SUBJECTS)
    )


def _verb_tagged_as_noun(sent: Span) -> bool:
    """A phrasal verb after a plural or a name that the tagger read as a noun: "Moscow's links with the
    Taliban date back years", "shots ring out". A noun needs no "back" or "out" after it."""
    doc = sent.doc
    return any(
        doc[i].tag_ == "NN" and doc[i - 1].tag_ in ("NNS", "NNP", "NNPS") and doc[i + 1].lower_ in PARTICLES
        for i in range(sent.start + 1, sent.end - 1)
    )


def _is_quoted_question(sent: Span, closing: str) -> bool:
    """A quoted question and who asked it ("“Can we trust him?” Abana said."): a question mark closing a
    quotation, and after it only a bare attribution."""
    doc = sent.doc
    for token in reversed(sent):
        if token.text in closing and token.i > sent.start and doc[token.i - 1].text == "?":
            tail = doc[token.i + 1 : sent.end]
            return len(tail) > 0 and _is_bare_attribution(tail)
    return False


def _addresses_the_reader(sent: Span, raw: str, single_marks: bool) -> bool:
    """An instruction to the reader ("Please enable comments", "For more, see our coverage", "Watch the video
    below, via YouTube"): a sentence whose main verb is a bare imperative, with no subject, outside quotation
    marks. It asserts nothing, unless it names something and holds a clause that tells something of it ("Take
    Tajikistan, where Russia keeps 7,000 troops")."""
    root = sent.root
    return (
        root.tag_ == "VB"
        and not any(
            (child.dep_ in SUBJECTS or child.dep_ in ("aux", "auxpass")) and sent.start <= child.i < sent.end
            for child in root.children
        )
        and not _opens_quotation(raw.lstrip(), single_marks)
        and not (sent.ents and any(is_finite_clause(token) for token in sent if token.i != root.i))
    )


def _about_the_reporting(sent: Span) -> bool:
    """The newsroom telling what it did or will do to report the story ("We've reached out to the ministry
    for comment", "We'll update if and when we hear from him"), outside quotation marks: "we" doing one of
    REPORTING_STEPS, and no clause with a subject of its own but "we" ("We reached out to her agent, who
    confirmed the hoax" tells something). That a source did not answer is a claim ("The ministry did not
    respond to a request for comment")."""
    root = sent.root
    return (
        root.lemma_ in REPORTING_STEPS
        and _done_by_us(root)
        and not any(is_finite_clause(token) and not _done_by_us(token) for token in sent if token.i != root.i)
    )


def _done_by_us(verb: Token) -> bool:
    return any(child.dep_ in SUBJECTS and child.lower_ == "we" for child in verb.children)


def _is_bio(sent: Span, raw: str) -> bool:
    """A line about the article's author ("Jane Roe is a reporter who covers ..."), not about the story.
    A role people in a story have too (analyst, spokesperson) makes a bio only as what a person is ("He is
    a political analyst based in ..."), not beside what they did ("Roe, an analyst, studied ...")."""
    if not _BIO_WORDS.search(raw) and not _BIO_ROLES.search(raw):
        return False
    root = sent.root
    if root.lemma_ in SPEECH_VERBS or root.lemma_ in BELIEF_VERBS:
        return False
    # What the person is or does: the predicate, not a noun elsewhere ("facing trial for the murder of a
    # journalist").
    predicate = [
        (child.left_edge.idx, child.right_edge.idx + len(child.right_edge))
        for child in root.children
        if child.dep_ == "attr"
    ]
    predicate.append((root.idx, root.idx + len(root)))
    writer = any(
        any(start <= sent.start_char + match.start() < end for start, end in predicate)
        for match in _BIO_WORDS.finditer(raw)
    )
    if not writer and not (
        root.lemma_ == "be"
        and any(
            child.dep_ == "attr" and _BIO_ROLES.search(sent.doc[child.left_edge.i : child.right_edge.i + 1].text)
            for child in root.children
        )
    ):
        return False
    subjects = [child for child in root.children if child.dep_ in SUBJECTS]
    # A name the entity recogniser missed (a proper noun of no other kind) counts as a person's.
    return any(
        child.ent_type_ == "PERSON" or (child.pos_ == "PROPN" and not child.ent_type_) or child.lower_ in ("he", "she")
        for child in subjects
    )


# --- Sentence units: spaCy's sentences with quotations put back together -------------------------


def _quote_balance(text: str) -> int:
    return sum(ch in "“" for ch in text) - sum(ch in "”" for ch in text) + (text.count('"') % 2)


def _sentence_units(doc: Doc, text: str, single_quoted: list[bool] | None = None) -> list[Span]:
    """spaCy's sentences, those of one quotation put back together: by the balance of double quotation
    marks, or by `single_quoted` (see _single_quoted_chars) in a paragraph that has only single ones."""
    units: list[Span] = []
    for sent in doc.sents:
        if units and _continues(text, units[-1], sent, single_quoted):
            units[-1] = doc[units[-1].start : sent.end]
        else:
            units.append(sent)
    return units


def _continues(text: str, previous: Span, sent: Span, single_quoted: list[bool] | None) -> bool:
    if _quote_balance(text[previous.start_char : previous.end_char]) > 0:
        return True
    if _ABBREVIATION.search(text, max(previous.start_char, previous.end_char - 8), previous.end_char):
        return True  # "said Det. Anna Berg": the parser took a title's full stop for the end of a sentence
    start = sent.start_char
    if single_quoted and 0 < start < len(single_quoted) and single_quoted[start - 1] and single_quoted[start]:
        return True
    first = text[start : sent.end_char].lstrip()[:1]
    if first and (first in "[" + CLOSE_QUOTES or (first.islower() and not _NAME_IN_LOWER_CASE.match(sent[0].text))):
        return True
    # A quotation's speaker, after the quotation's own full stop or question mark ("“…?” Lena Voss asked.").
    if text[previous.end_char - 1] in CLOSE_QUOTES + "\"'" and _is_bare_attribution(sent):
        return True
    # A break spaCy made after a word, one space before the next ("on the DC Toys Collector website", taken
    # for "D.C."): a sentence of prose does not end on a bare word. Not a heading glued to the text after it,
    # set off by more than one space ("... to Taliban  The support of Russia"), nor a time or a label before
    # a sentence that opens as sentences do ("12.14 The Telegraph reports", "West Londoner The true ...").
    return (
        text[previous.end_char : start] == " "
        and text[previous.end_char - 1].isalnum()
        and sent[0].text not in SENTENCE_OPENERS
        and any(token.is_alpha for token in previous)
    )


def _is_bare_attribution(sent: Span, max_words: int = 8) -> bool:
    """A short sentence that only says who spoke: "Lena Voss said.", "The Daily Mail added", "she asked"."""
    root = sent.root
    return (
        root.lemma_ in ATTRIBUTING_VERBS
        and any(child.dep_ in SUBJECTS for child in root.children)
        and not any(
            child.dep_ in ("ccomp", "xcomp", "attr") or (child.dep_ == "dobj" and root.lemma_ != "tell")
            for child in root.children
        )
        and len(content_words(sent)) <= max_words
    )


# Quotation marks in British style ('...,' the source said): a mark that opens a word in capitals after a
# space, a colon or a dash, and one that closes a word before a space or punctuation. The apostrophes of
# "it's", "Kim's" or "'90s" (straight or curly) are neither.
_SINGLE_OPENING = re.compile(r"(?:^|(?<=[\s:(\u2014\u2013]))['\u2018](?=[A-Z])")
_SINGLE_CLOSING = re.compile(r"(?<=\S)['\u2019](?=[\s,.;:!?)\u2014\u2013]|$)")


def _quoted_chars(text: str) -> list[bool]:
    """For each character of the paragraph, whether it lies inside double quotation marks."""
    inside = [False] * len(text)
    depth = 0
    straight_open = False
    for index, ch in enumerate(text):
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch == '"':
            straight_open = not straight_open
        inside[index] = depth > 0 or straight_open
    return inside


def _has_double_quotes(text: str) -> bool:
    return any(mark in text for mark in '"\u201c\u201d')


def _single_quoted_chars(text: str) -> list[bool]:
    """Characters inside single quotation marks, from an opening mark to the next closing one (or the end of
    the paragraph: a quotation that goes on in the next one is left open, as with double marks)."""
    inside = [False] * len(text)
    position = 0
    while opening := _SINGLE_OPENING.search(text, position):
        closing = _SINGLE_CLOSING.search(text, opening.end())
        position = closing.end() if closing else len(text)
        inside[opening.start() : position] = [True] * (position - opening.start())
    return inside


# --- Splitting a sentence into claims ------------------------------------------------------------


def _clauses(doc: Doc, text: str, sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """Character ranges (paragraph offsets) of the claims in one sentence (of `doc`, whose text is `text`), trimmed."""
    cuts = sorted(
        set(_coordination_cuts(sent, quoted))
        | set(_contrast_cuts(sent, quoted))
        | set(_punctuation_cuts(sent, quoted))
        | set(_further_statement_cuts(sent, quoted))
        | set(_result_cuts(text, sent, quoted))
        | set(_parenthesis_cuts(sent, quoted))
        | set(_colon_cuts(text, sent, quoted))
    )
    pieces: list[tuple[int, int]] = []
    start = sent.start
    for first_end, second_start in cuts:
        if first_end <= start or (doc[first_end].text != ")" and _in_parentheses(doc, sent.start, first_end)):
            continue
        pieces.append((start, first_end))
        start = second_start
    pieces.append((start, sent.end))
    ranges = []
    for token_start, token_end in pieces:
        token_start, token_end = _strip_joiners(doc, token_start, token_end)
        if token_start >= token_end:
            continue
        char_start = doc[token_start].idx
        char_end = doc[token_end - 1].idx + len(doc[token_end - 1].text)
        char_end = _cut_glued_date(text, char_start, char_end)
        char_start, char_end = trim(text, char_start, char_end)
        if char_start < char_end:
            ranges.append((char_start, char_end))
    return ranges


def _is_clause(head: Token) -> bool:
    return head.pos_ in ("VERB", "AUX") and any(child.dep_ in SUBJECTS for child in head.children)


def _substantial(tokens: Span) -> bool:
    return len(content_words(tokens)) >= 3 and any(token.pos_ in ("VERB", "AUX") for token in tokens)


def _coordination_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """(end of the first clause, start of the second) for main clauses coordinated under the root.

    A coordinated verb is a separate claim when it has its own subject, or its own auxiliary
    ("has denied ... but has admitted ..."), or, sharing the subject, its own object or complement
    right after a conjunction ("had served in Kabul in the 1980s and returned as ambassador in 2001",
    "should cause discontent and provoke a withdrawal"). Two verbs sharing one object ("declined to
    take part in, and then canceled, talks"), the verbs of an infinitive or gerund list, and "not only A
    but also B" stay together."""
    doc = sent.doc
    cuts = []
    heads = [sent.root]
    while heads:
        head = heads.pop()
        for child in head.children:
            if child.dep_ != "conj" or not _acts_as_verb(child) or quoted[child.idx]:
                continue
            heads.append(child)
            split = _swallowed_subject(child, child.left_edge.i)
            if split <= sent.start or not (_own_clause(child) or _own_predicate(head, child, split)):
                continue
            if not _asserts_both(head, child, split, sent):
                continue
            if not _substantial(doc[sent.start : split]) or not _substantial(doc[split : sent.end]):
                continue
            cuts.append(_after_the_coordinator(head, split))
    cuts.extend(_misparsed_coordination_cuts(sent, quoted))
    cuts.extend(_raised_coordination_cuts(sent, quoted))
    cuts.extend(_second_reported_clause_cuts(sent, quoted))
    return cuts


def _swallowed_subject(verb: Token, split: int) -> int:
    """Where the second of two coordinated clauses starts when the parser took its subject for the last of the
    nouns the first clause coordinates ("perform parody songs with pizza-themed lyrics and the five-man band
    have toured the UK"): at that noun phrase, not at the verb left without a subject."""
    doc = verb.doc
    if split < 2 or any(child.dep_ in SUBJECTS for child in verb.children) or not _own_clause(verb):
        return split  # only a verb with an auxiliary of its own ("have toured"; not "don't answer") is a clause
    noun = doc[split - 1]
    if noun.dep_ != "conj" or noun.pos_ not in ("NOUN", "PROPN") or noun.head.pos_ not in ("NOUN", "PROPN"):
        return split
    if noun.head.i < verb.head.i:
        return split  # nouns before the first verb ("The pictures and videos still don't answer ...")
    if not any(child.dep_ == "cc" and child.i < noun.left_edge.i for child in noun.head.children):
        return split
    return noun.left_edge.i


def _acts_as_verb(token: Token) -> bool:
    """A verb, or a word the tagger took for an adjective that takes a direct object as only a verb does
    ("decided to change her name, and later underwent surgery")."""
    return token.pos_ in ("VERB", "AUX") or (
        token.pos_ == "ADJ" and any(child.dep_ == "dobj" and child.i > token.i for child in token.children)
    )


def _in_parentheses(doc: Doc, start: int, position: int) -> bool:
    """Whether token `position` stands inside parentheses opened after token `start` ("... unknown (and as of
    writing is unavailable)"): a cut there would leave one piece ending with "(" and the other with ")". A
    sentence that is all in parentheses is split as any other."""
    depth = 0
    for token in doc[start + 1 : position]:
        depth += (token.text == "(") - (token.text == ")")
    return depth > 0


def _asserts_both(head: Token, verb: Token, split: int, sent: Span) -> bool:
    """Whether the sentence asserts both of two coordinated verbs (the second, `verb`, starting at token
    `split`) as claims of their own. Not when they are alternatives ("Either the friend never returned, or
    the burger became a joke"), one claim ("not only closed the border but also expelled the envoy"), or
    denied together ("neither confirmed nor denied", "did not witness it,
    nor did he testify"); not when the second only says who spoke ("A rather than B, the mayor's office
    announced Monday"); not when the second shares the first's hedge ("could contract the virus and then
    go abroad": cut off, it would be asserted); not when the second shares the first's subject and the
    first has nothing of its own after it ("His name is not and never will be Paul Horner", "Dr Harvey
    agreed and said the case was bizarre", "he weighed and measured both devices"); and not when the
    parser hung the clauses on a noun ("Page, Jones, and Bonham were stunned") or took a relative clause
    for the main one ("In the days before the event, which is rumored to ..., a new detail has leaked")."""
    doc = head.doc
    subjects = [child for child in head.children if child.dep_ in SUBJECTS]
    if head.pos_ not in ("VERB", "AUX") and not subjects:
        return False
    if subjects and all(subject.tag_ in ("WDT", "WP") for subject in subjects):
        return False  # the first is a relative clause ("..., which is rumored to be ..., a new detail has leaked")
    if (
        head.tag_ in ("VBD", "VBN")
        and not _auxiliaries(head)
        and any(child.lower_ == "by" and child.dep_ in ("prep", "agent") for child in head.children)
        and _auxiliaries(verb)
        and not any(child.dep_ in SUBJECTS for child in verb.children)
    ):
        return False  # a participle the parser took for the main verb ("X, a group labeled Y by Z, has controlled")
    marks = [child for child in head.children if child.dep_ in ("cc", "preconj") and child.i < split]
    if any(mark.lower_ in ("or", "nor", "either", "neither") for mark in marks):
        return False
    if any(mark.dep_ == "preconj" and mark.lower_ == "not" for mark in marks):
        return False  # "not only A but also B": one claim, which "not only" alone could not open
    after = doc[split + 1 if doc[split].text == "," else split : sent.end]
    after_a_comma = "," in (doc[split - 1].text, doc[split].text)
    # The parser may start the speaker's clause early, at a noun before the comma that ends what was said
    # ("with two sons and a daughter, interior minister X told the channel"): what follows that comma speaks.
    own_subjects = [child for child in verb.children if child.dep_ in SUBJECTS]
    commas = [
        token.i
        for token in doc[split : verb.i]
        if token.text == "," and any(s.left_edge.i < token.i < s.right_edge.i for s in own_subjects)
    ]
    if commas:
        after, after_a_comma = doc[commas[-1] + 1 : sent.end], True
    if after_a_comma and len(after) and after[0].dep_ != "cc" and _is_bare_attribution(after, 12):
        return False
    if own_subjects:
        return True
    if _closes_with_according_to(doc[split : sent.end]):
        return False  # "X did A and B, according to Y": Y says both; cut, A would be the source's own
    if verb.tag_ == "VB" and not _auxiliaries(verb) and any(aux.lower_ in HEDGE_MODALS for aux in _auxiliaries(head)):
        return False  # "could contract the virus and then go abroad": alone, the second would lose its "could"
    own = [child for child in head.children if head.i < child.i < split and child.dep_ not in ("punct", "cc", "neg")]
    # A bare adverb is not enough ("went further and said"), unless it is what "be" says ("is always on").
    return any(child.dep_ != "advmod" or child.n_lefts + child.n_rights or head.lemma_ == "be" for child in own)


def _closes_with_according_to(tokens: Span) -> bool:
    """Whether the words end with ", according to X" and nothing after it."""
    for token in tokens:
        if token.lower_ == "according" and token.i + 1 < tokens.end and token.nbor().lower_ == "to":
            preceded = token.i > 0 and token.nbor(-1).text in COMMA_OR_DASH
            rest = token.nbor().right_edge.i + 1
            return preceded and all(t.is_punct for t in token.doc[rest : tokens.end])
    return False


def _second_reported_clause_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """Two statements of one speaker, "X said that A, and that B" or "X believes A but that B": the second
    opens with a "that" of its own (propose gives it X's attribution)."""
    doc = sent.doc
    root = sent.root
    if root.lemma_ not in SPEECH_VERBS and root.lemma_ not in BELIEF_VERBS:
        return []
    cuts = []
    for complement in root.children:
        if complement.dep_ != "ccomp":
            continue
        for clause in complement.children:
            if clause.dep_ != "conj" or quoted[clause.idx]:
                continue
            if not any(mark.dep_ == "mark" and mark.lower_ == "that" for mark in clause.children):
                continue
            if any(mark.dep_ == "cc" and mark.lower_ in ("or", "nor") for mark in complement.children):
                continue  # "no evidence that A, nor that B": B is denied, not said
            split = clause.left_edge.i
            if _substantial(doc[sent.start : split]) and _substantial(doc[split : sent.end]):
                cuts.append(_after_the_coordinator(complement, split))
    return cuts


def _auxiliaries(verb: Token) -> list[Token]:
    return [child for child in verb.children if child.dep_ in ("aux", "auxpass") and child.i < verb.i]


def _finite_tag(verb: Token) -> str:
    """The tag that carries a verb's tense: its first auxiliary's (a modal's is MD), else its own."""
    auxiliaries = _auxiliaries(verb)
    return auxiliaries[0].tag_ if auxiliaries else verb.tag_


def _raised_coordination_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """A verb phrase the parser coordinated inside the root's complement that belongs to the root's subject:
    "Russia believes the Taliban will control the south and has invited its envoys to Moscow". Its own
    auxiliary has the root's tense ("believes" ... "has"), which its neighbour in the complement ("will
    control") cannot take, so the two do not share that complement's subject: it is a second main claim."""
    doc = sent.doc
    root = sent.root
    if root.pos_ not in ("VERB", "AUX") or not any(child.dep_ in SUBJECTS for child in root.children):
        return []
    cuts = []
    for complement in root.children:
        if complement.dep_ != "ccomp" or complement.i < root.i or quoted[complement.idx]:
            continue
        for verb in complement.children:
            if verb.dep_ != "conj" or verb.pos_ not in ("VERB", "AUX") or quoted[verb.idx]:
                continue
            if any(child.dep_ in SUBJECTS for child in verb.children):
                continue
            if not _auxiliaries(verb):
                continue
            tense = _finite_tag(verb)
            if tense not in ("VBZ", "VBD", "VBP") or tense != _finite_tag(root) or tense == _finite_tag(complement):
                continue
            split = verb.left_edge.i
            if _substantial(doc[sent.start : split]) and _substantial(doc[split : sent.end]):
                cuts.append(_after_the_coordinator(complement, split))
    return cuts


def _after_the_coordinator(head: Token, split: int) -> tuple[int, int]:
    """The cut before a coordinated clause that starts at token `split`: there, or, when words the parser hung
    on the first verb stand between the "and"/"but" and that clause ("..., but in Afghanistan, by supporting
    the Taliban, Moscow will ..."), at the coordinator, so that they open the second claim, as they do."""
    doc = head.doc
    joiner = next((child for child in reversed(list(head.children)) if child.dep_ == "cc" and child.i < split), None)
    # An opening phrase or a subject the parser hung on the first verb runs to a dozen words ("and with an
    # assumed margin of a third on every tonne, would add ...", "and anyone found guilty of it twice can ...").
    if joiner is None or not 1 < split - joiner.i <= 14:
        return split, split
    gap = doc[joiner.i + 1 : split]
    if all(token.is_punct for token in gap):
        return split, split
    if all(joiner.i < token.left_edge.i and token.right_edge.i < split for token in gap):
        return joiner.i, joiner.i + 1
    return split, split


def _own_clause(verb: Token) -> bool:
    return any(
        child.dep_ in SUBJECTS
        or (child.dep_ in ("aux", "auxpass") and child.pos_ == "AUX" and child.lemma_ != "do" and child.i < verb.i)
        for child in verb.children
    )


def _own_predicate(head: Token, verb: Token, split: int) -> bool:
    """A verb phrase of its own after "and"/"but" sharing the first one's subject, with its own object; or
    after a bare comma (see _comma_coordinated)."""
    doc = verb.doc
    return (
        (doc[split - 1].dep_ == "cc" or _comma_coordinated(head, verb, split))
        and head.tag_ != "VBG"
        and not any(child.tag_ == "TO" for child in verb.children)
        and any(child.dep_ in COMPLEMENTS and child.i > verb.i for child in verb.children)
    )


def _comma_coordinated(head: Token, verb: Token, split: int) -> bool:
    """A second verb of the sentence's main verb after a bare comma, in the same simple tense: "Russia felt
    marginalized, thought the talks had failed", "The army shelled the town in May, then withdrew to the
    river". Only where that comma is the one comma after the main verb: one that closes an aside ("the
    prisoner, held in Qatar, made contact") comes after another; and not after a form of "be", nor in
    another tense, where the parser takes a noun or a participle for the verb ("They are renderings,
    guesses as to ...", "the treatment of Ross Ulbricht, alleged pirate")."""
    doc = verb.doc
    comma = split if doc[split].text == "," else split - 1  # the parser hangs the comma on either verb
    return (
        doc[comma].text == ","
        and head.i == head.sent.root.i
        and head.pos_ == "VERB"
        and verb.tag_ == head.tag_
        and head.tag_ in ("VBD", "VBZ", "VBP")
        and not _auxiliaries(head)
        and not _auxiliaries(verb)
        and any(child.dep_ in SUBJECTS and child.i < head.i for child in head.children)
        and not any(child.dep_ == "cc" or (child.dep_ == "conj" and child.tag_ != verb.tag_) for child in verb.children)
        and not any(token.text == "," for token in doc[head.i : comma])
    )


def _misparsed_coordination_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """A sentence like "A is X and B sees Y" is often parsed with the second clause as a complement of the root and its
    subject coordinated with a noun of the first; a finite complement with no "that", right after an
    "and"/"but" and a short subject, is a second main clause all the same."""
    doc = sent.doc
    root = sent.root
    cuts = []
    for verb in (root, *(child for child in root.children if child.pos_ in ("VERB", "AUX"))):
        cut = _clause_read_as_a_participle(verb, quoted)
        if cut is not None and _substantial(doc[sent.start : cut[0]]) and _substantial(doc[cut[1] : sent.end]):
            cuts.append(cut)
    for child in root.rights:
        finite = child.tag_ in ("VBZ", "VBD", "VBP", "MD") or any(grand.dep_ == "aux" for grand in child.children)
        opening = child.left_edge.i
        if (
            child.dep_ == "advcl"
            and finite
            and any(grand.dep_ in SUBJECTS for grand in child.children)
            and not any(grand.dep_ == "mark" for grand in child.children)
            and opening > sent.start
            and doc[opening - 1].lower_ in ("and", "but")
            and not quoted[doc[opening - 1].idx]
            and _substantial(doc[sent.start : opening - 1])
        ):
            # "... after a trip to the capital and their parents are being blamed": a clause with its own subject
            # and tense, no subordinator, after "and", that the parser hung on the root as an adverbial.
            cuts.append((opening - 1, opening))
            continue
        if (
            child.dep_ not in ("ccomp", "conj")
            or not finite
            or any(grand.dep_ in ("mark", *SUBJECTS) for grand in child.children)
        ):
            continue
        joiner = next((token for token in reversed(doc[root.i + 1 : child.i]) if token.dep_ == "cc"), None)
        if joiner is None or quoted[joiner.idx] or child.i - joiner.i > 7:
            continue
        gap = doc[joiner.i + 1 : child.i]
        if any(token.pos_ in ("VERB", "AUX") and token.tag_ != "VBG" for token in gap):
            continue
        if not any(token.pos_ in ("NOUN", "PROPN", "PRON") for token in gap):
            continue
        if _substantial(doc[sent.start : joiner.i]) and _substantial(doc[joiner.i + 1 : sent.end]):
            cuts.append((joiner.i, joiner.i + 1))
    return cuts


def _clause_read_as_a_participle(verb: Token, quoted: list[bool]) -> tuple[int, int] | None:
    """The cut in "Nelson's film career dried up in the 1990's and in recent years he has found work", which the
    parser reads as a participle describing the subject or a noun of it ("career dried up", as in "the fruit
    dried in the sun"), and that subject as a second one of the verb after "and", which then has two. The first
    clause ends at an "and" or "but" right after the participle's words, provided the subject after it cannot
    be a noun coordinated with them: after "but", a pronoun, or with words between the "and" and it ("and in
    recent years he")."""
    if verb.n_lefts < 2:
        return None
    subjects = [child for child in verb.lefts if child.dep_ in ("nsubj", "nsubjpass")]
    if len(subjects) < 2 or not is_finite(verb):
        return None
    first, last = subjects[0], subjects[-1]
    doc = verb.doc
    for participle in first.subtree:
        if (
            participle.i < first.i
            or participle.dep_ != "acl"
            or participle.tag_ not in ("VBD", "VBN")
            or any(child.dep_ in ("aux", "auxpass", "mark") for child in participle.children)
        ):
            continue
        joiner = participle.right_edge.i + 1
        while joiner < last.i and doc[joiner].is_punct:
            joiner += 1
        if joiner >= last.i or doc[joiner].lower_ not in ("and", "but") or quoted[doc[joiner].idx]:
            continue
        if doc[joiner].lower_ == "but" or last.lower_ in PERSONAL_PRONOUNS or last.left_edge.i > joiner + 1:
            return (joiner, joiner + 1)
    return None


def _further_statement_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """A second statement of the same speaker after what it said (", adding that B", ", noting that B",
    ", warning that B"; see is_further_statement), as "and added that B" is."""
    doc = sent.doc
    return [
        (verb.i, verb.i)
        for verb in sent
        if verb.lemma_ in FURTHER_STATEMENT_VERBS  # the cheap test first: this runs for every token
        and verb.i - 1 > sent.start
        and not quoted[verb.idx]
        and is_further_statement(verb)
        and _substantial(doc[sent.start : verb.i])
        and _substantial(doc[verb.i : sent.end])
    ]


def _contrast_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """A clause that ends the sentence and sets a second claim against what comes before it: ", whereas Y
    said B", ", although it did not say B", ", while Y called it B". A "while" clause in the progressive
    ("..., while he was travelling to Kabul") tells when, not a second claim, and stays."""
    doc = sent.doc
    last = max((token.i for token in sent if not token.is_punct), default=sent.start)
    cuts = []
    for clause in sent:
        if clause.dep_ != "advcl" or clause.right_edge.i < last or quoted[clause.idx]:
            continue
        if not any(child.dep_ in SUBJECTS for child in clause.children):
            continue
        mark = clause.left_edge
        if mark.dep_ != "mark" or mark.head != clause or mark.lower_ not in CONTRASTS or doc[mark.i - 1].text != ",":
            continue
        progressive = clause.tag_ == "VBG" or any(
            child.dep_ == "aux" and child.tag_ == "VBG" for child in clause.children
        )
        if mark.lower_ == "while" and progressive:
            continue
        if _substantial(doc[sent.start : mark.i]) and _substantial(doc[mark.i + 1 : sent.end]):
            cuts.append((mark.i, mark.i + 1))
    return cuts


def _result_cuts(text: str, sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """A main clause after ", so" that says what followed: "A, so Russia has extended its hand". The parser
    makes it the root and what came before its complement, so the coordination cuts do not see it; "so that"
    and "so" before an adjective do not open a clause of their own. `text` is the paragraph's."""
    if ", so " not in text[sent.start_char : sent.end_char]:
        return []  # the cheap test first: walking the tokens costs more than the rest of this
    doc = sent.doc
    cuts = []
    for word in sent:
        if word.lower_ != "so" or word.dep_ != "advmod" or word.i == sent.start or quoted[word.idx]:
            continue
        if doc[word.i - 1].text != ",":
            continue
        verb = word.head
        subject = next((child for child in verb.children if child.dep_ in SUBJECTS), None)
        if verb.i < word.i or subject is None or subject.left_edge.i != word.i + 1:
            continue
        if _substantial(doc[sent.start : word.i - 1]) and _substantial(doc[word.i + 1 : sent.end]):
            cuts.append((word.i - 1, word.i + 1))
    return cuts


def _parenthesis_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """A clause of its own in parentheses at the end of a sentence ("... the bulk of its income (it earns
    about $400 million a year from opium)."): a second claim, without its parentheses. An aside without a
    subject and verb ("(see below)", "(the local currency)"), a relative clause ("(which ...)"), and a
    condition or a reason ("(if ...)", "(because ...)") stay; so does an aside inside the sentence: what is
    around it is one claim."""
    doc = sent.doc
    last = sent.end - 1
    while last > sent.start and doc[last].is_punct and doc[last].text != ")":
        last -= 1
    if doc[last].text != ")" or quoted[doc[last].idx]:
        return []
    opening = next((token for token in reversed(doc[sent.start : last]) if token.text in ("(", ")")), None)
    if opening is None or opening.text != "(" or opening.i == sent.start:
        return []
    inside = doc[opening.i + 1 : last]
    if not len(inside):
        return []
    verb = inside.root
    if not _is_clause(verb) or verb.dep_ in ("relcl", "acl"):
        return []
    if any(child.dep_ == "mark" and child.lower_ not in CONTRASTS for child in verb.children):
        return []  # a condition or a reason ("(if ...)", "(because ...)") is part of the claim before it
    if not _substantial(doc[sent.start : opening.i]) or not _substantial(inside):
        return []
    return [(opening.i, opening.i + 1), (last, sent.end)]


def _colon_cuts(text: str, sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """A colon between two claims, each a clause of its own, the second opening with a capital ("He was left
    with bizarre side-effects: His mother told the paper that ..."). Not a colon that introduces what
    someone says ("He added: ...", "The statement read: ..."), nor one after a pointer ("Here's where the
    problem develops: ..."), nor one before a list or a phrase (one inside parentheses is left by
    _clauses). `text` is the paragraph's."""
    if ": " not in text[sent.start_char : sent.end_char]:
        return []  # the cheap test first, as in _result_cuts
    doc = sent.doc
    cuts = []
    for colon in sent:
        if colon.text != ":" or quoted[colon.idx] or not sent.start < colon.i < sent.end - 1 or not colon.whitespace_:
            continue
        if _in_a_title(doc, colon.i):
            continue  # a title's colon ("Batman v Superman: Dawn of Justice", "Star Wars: The Force Awakens")
        before, after = doc[sent.start : colon.i], doc[colon.i + 1 : sent.end]
        if not _substantial(before) or not _substantial(after) or before[0].lower_ in POINTERS:
            continue
        opening = next((token for token in after if not token.is_punct and not token.is_space), None)
        if opening is None or not opening.text[:1].isupper():
            continue
        if before.root.lemma_ in ATTRIBUTING_VERBS or before.root.lemma_ in BELIEF_VERBS:
            continue
        # What follows says something of its own: not a quotation that the words before introduce ("X tweeted:
        # “...”"), but a quotation with its own speaker ("...: “Kai was kind,” his mother said.") may.
        if _is_clause(before.root) and _is_clause(after.root) and not quoted[after.root.idx]:
            cuts.append((colon.i, colon.i + 1))
    return cuts


def _in_a_title(doc: Doc, colon: int) -> bool:
    """Whether the colon at token `colon` stands inside a title ("Batman v Superman: Dawn of Justice", "Star
    Wars: The Force Awakens", "Avengers 2: Age of Ultron"): names on both sides, or a word in capitals before
    it, or a number after one, and a word in capitals after it ("The" or "A" before it allowed) that is not
    the subject of a clause ("... met the minister in Moscow: Analysts say ..." is two claims)."""
    before, after = doc[colon - 1], doc[colon + 1]
    if before.pos_ == "PROPN" and after.pos_ == "PROPN":
        return True
    if after.lower_ in ("the", "a", "an") and colon + 2 < len(doc):
        after = doc[colon + 2]
    named = before.is_title or (before.like_num and colon > 1 and doc[colon - 2].is_title)
    return named and after.is_title and after.dep_ not in SUBJECTS


def _punctuation_cuts(sent: Span, quoted: list[bool]) -> list[tuple[int, int]]:
    """Semicolons, and dashes that introduce a clause of their own (a dash pair around an aside does not)."""
    doc = sent.doc
    marks = [
        token
        for token in sent
        if (token.text == ";" or (token.text in DASHES and token.whitespace_)) and not quoted[token.idx]
    ]
    cuts = []
    for position, mark in enumerate(marks):
        following = marks[position + 1] if position + 1 < len(marks) else None
        if mark.text in DASHES and following is not None and following.text in DASHES:
            continue
        if mark.text in DASHES and position > 0 and marks[position - 1].text in DASHES:
            continue
        before = doc[sent.start : mark.i]
        after = doc[mark.i + 1 : following.i if following is not None else sent.end]
        if not _substantial(before) or not _substantial(after):
            continue
        # After a dash, a clause of its own; not a noun phrase with a relative clause ("— a claim Moscow denies"),
        # nor a relative clause itself ("— which has nothing to do with Disney").
        if mark.text in DASHES and (
            after[0].lower_ in RELATIVE_WORDS
            or not any(_is_clause(token) and token.dep_ not in ("relcl", "acl") for token in after)
        ):
            continue
        cuts.append((mark.i, mark.i + 1))
    return cuts


def _strip_joiners(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop the conjunction and punctuation that joined two clauses from the edges of each, and the number
    of a numbered list item ("2. ...") from the start of the paragraph."""
    if start == 0 and end > 2 and doc[0].like_num and doc[1].text in (".", ")") and doc[0].dep_ == "meta":
        start = 2
    while start < end and (
        doc[start].dep_ == "cc" or (doc[start].is_punct and doc[start].text not in OPEN_QUOTES + '"')
    ):
        if doc[start].text == "'" and start + 1 < end and doc[start + 1].text[:1].isupper():
            break  # a straight single mark opening a quotation ('We have closed the mine,' ...)
        start += 1
    while end > start and (
        doc[end - 1].dep_ == "cc" or doc[end - 1].text in (",", ";", ":") or doc[end - 1].text in DASHES
    ):
        end -= 1
    return start, end


def _cut_glued_date(text: str, start: int, end: int) -> int:
    match = _GLUED_DATE.search(text, start, end)
    return match.start() if match else end
