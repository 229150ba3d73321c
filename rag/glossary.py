"""Plain words people use, mapped to the wording the treaties use.

Users ask about "hacking", "revenge porn" or "wiretapping"; the treaties say "illegal
access", "non-consensual dissemination of intimate images" and "interception". The
retriever appends the treaty wording of every matching entry to the query, for both the
keyword and the dense search. Each entry was added for a failure seen on the dev split
or for a term of the treaties' own tables of contents.
"""

from __future__ import annotations

import re

# (pattern over the lowercased question, treaty wording appended to the query)
GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        r"hack|break(?:ing)? into|unauthori[sz]ed access|get into (?:a|someone)",
        "illegal access to an information and communications technology system without right",
    ),
    (
        r"wiretap|eavesdrop|intercept|snoop|listen(?:ing)? in|spy(?:ing)? on",
        "illegal interception interception of content data in real time",
    ),
    (
        r"revenge porn|intimate (?:image|photo|picture)|nudes?\b|sexual (?:image|photo)s? without consent|sextortion",
        "non-consensual dissemination of intimate images",
    ),
    (
        r"child (?:porn|abuse (?:image|material|content))|csam|paedophil|pedophil|sexual abuse of (?:a )?child",
        "child sexual abuse or child sexual exploitation material",
    ),
    (
        r"groom|lur(?:e|ing) (?:a )?(?:child|minor)|predator",
        "solicitation or grooming for the purpose of committing a sexual offence against a child",
    ),
    (
        r"virus|malware|ransomware|delet(?:e|ing) (?:files|data)|wip(?:e|ing) data|corrupt(?:ing)? data",
        "interference with electronic data damaging deletion deterioration alteration",
    ),
    (
        r"ddos|denial of service|crash(?:ing)? (?:a )?(?:server|system|website)|take down a (?:website|server)",
        "interference with an information and communications technology system serious hindering",
    ),
    (
        r"hacking tools?|malware tools?|password(?:s)?|selling (?:tools|devices)|spyware",
        "misuse of devices programs passwords access credentials",
    ),
    (
        r"phishing|scam|fraud|con (?:people|someone)|trick(?:ing)? people",
        "information and communications technology system-related fraud",
    ),
    (
        r"pen(?:etration)?[- ]?test|security research|vulnerabilit|ethical hack",
        "authorized testing or protection of an information and communications technology system security researchers",
    ),
    (r"fake document|forg|falsif", "information and communications technology system-related forgery inauthentic data"),
    (
        r"crypto|bitcoin|virtual (?:asset|currenc)|digital (?:asset|currenc)|wallet",
        "property assets of every kind including virtual assets",
    ),
    (r"launder|dirty money|clean(?:ing)? money", "laundering of proceeds of crime"),
    (r"theft|steal", "theft fraud property"),
    (
        r"extradit|hand(?:ed)? over (?:a )?(?:suspect|person|citizen|national)|send (?:someone|a person|a suspect)",
        "extradition",
    ),
    (
        r"e-?mails?|messages|tech compan|internet compan|platform|provider|subscriber|customer (?:data|records)|user data|account (?:details|information)",
        "production order service provider subscriber information electronic data in its possession or control",
    ),
    (
        r"preserv|keep (?:the )?data|stop (?:them|it) (?:from )?delet|freez(?:e|ing) (?:the )?data|data from being deleted",
        "expedited preservation of stored electronic data",
    ),
    (
        r"politic|dissident|persecut|religio|ethnic|journalist|activist|opposition",
        "refuse assistance grounds prejudice on account of sex, race, language, religion, nationality, ethnic origin or political opinions",
    ),
    (
        r"human rights|privacy|free(?:dom of)? (?:speech|expression)|civil liberties|abuse (?:of|by) (?:the )?(?:treaty|government|states)|surveil"
        r"|\buse (?:it|this|the) (?:treaty|convention) against|\bgovernments? (?:\w+ )?use (?:it|this|the) (?:treaty|convention)"
        r"|what (?:they|people|i|you|we) (?:post|say|write|publish)|insult|criticis|\bdissent|protest",
        "respect for human rights conditions and safeguards",
    ),
    (r"refus|deny|turn down|say no|decline", "refusal grounds may be refused"),
    (r"compan(?:y|ies)|corporat|business|firms?\b|legal person", "liability of legal persons"),
    (
        r"24/7|hotline|contact point|around the clock|emergency contact",
        "24/7 network point of contact available twenty-four hours a day, seven days a week",
    ),
    (r"victim", "assistance to and protection of victims compensation restitution"),
    (
        r"take (?:\w+ )?down|takedown|remov(?:e|al|ing) (?:of )?(?:the )?(?:content|posts|material)|delet(?:e|ing) (?:posts|content)|censor",
        "remove or render inaccessible the content render inaccessible or remove those electronic data",
    ),
    (
        r"(?:isn'?t|not) (?:a |about )?cyber ?crime|not (?:just|only) cyber|any (?:other )?crime|ordinary crime|drug trafficking",
        "serious crime evidence in electronic form of any serious crime maximum deprivation of liberty of at least four years",
    ),
    (r"witness|whistleblow|informant", "protection of witnesses reporting persons"),
    (
        r"jurisdiction|which (?:country|state) (?:can|may) (?:prosecute|try)|prosecute (?:someone|crimes) (?:abroad|committed)|where (?:the )?crime",
        "jurisdiction offence committed in its territory national",
    ),
    (r"statute of limitations|time limit|too old to prosecute|how long .* prosecute", "statute of limitations"),
    (
        r"seiz|confiscat|assets?\b|proceeds|profits?|money (?:made|gained)",
        "freezing, seizure and confiscation of the proceeds of crime",
    ),
    (
        r"return(?:ed|ing)? (?:the )?(?:money|assets|proceeds)|asset recovery|give back|get (?:\w+ )?back",
        "return and disposal of confiscated proceeds of crime or property",
    ),
    (
        r"in(?:to)? force|take effect|start (?:to )?apply|become binding|come into effect",
        "entry into force instrument of ratification",
    ),
    (
        r"\bsign|ratif|join (?:the )?(?:treaty|convention)|become a party|accession|accede",
        "signature ratification acceptance approval accession",
    ),
    (r"reservation|opt out|opt-out|not (?:be )?bound by", "reservations"),
    (r"amend|change the (?:treaty|convention)", "amendment"),
    (r"withdraw|leave (?:the )?(?:treaty|convention)|pull out|quit", "denunciation"),
    (r"disput|disagree", "settlement of disputes negotiation arbitration International Court of Justice"),
    (r"protocols?\b", "relation with protocols supplementary protocol"),
    (
        r"train|capacity|technical (?:help|assistance|support)|developing (?:countries|states)|poorer countries",
        "technical assistance capacity-building developing countries",
    ),
    (r"prevent|awareness|education", "prevention measures"),
    (
        r"real[- ]time|live (?:monitoring|collection)|metadata|traffic data|who (?:called|contacted)",
        "real-time collection of traffic data",
    ),
    (
        r"search(?:ing)? (?:a |my |someone's )?(?:computer|phone|laptop|device)|seiz(?:e|ing) (?:a )?(?:computer|phone|laptop|device)",
        "search and seizure of stored electronic data",
    ),
    (r"joint (?:team|investigation)|investigate together", "joint investigations"),
    (
        r"help (?:from )?(?:another|other) countr|request help|assist(?:ance)? (?:between|from|to) (?:countries|states)|cooperate|co-operat|cross-border",
        "mutual legal assistance international cooperation",
    ),
    (r"attempt|accomplice|aiding|abet|help(?:ing)? (?:someone )?commit", "participation and attempt"),
    (r"what (?:does|do) .* mean|definition|defin|what counts as|meaning of", "use of terms definitions shall mean"),
    (
        r"sovereign|interfer(?:e|ing) in (?:internal|domestic) affairs",
        "protection of sovereignty territorial integrity non-intervention",
    ),
    (
        r"dual criminality|crime in both|illegal in both",
        "dual criminality conduct constituting an offence under the laws of both",
    ),
    (
        r"punish|penalt|sentenc|prison|jail",
        "prosecution adjudication and sanctions effective, proportionate and dissuasive sanctions",
    ),
    (r"terroris", "offences related to terrorism"),
    (r"money|fund|pay|financ|budget|cost", "financial resources account contributions"),
    (r"secretariat|who (?:runs|administers)|unodc", "secretariat United Nations Office on Drugs and Crime"),
    (
        r"conference of (?:the )?(?:states )?parties|meetings? of (?:the )?parties|review (?:the )?implementation",
        "Conference of the States Parties",
    ),
    (r"personal data|data protection|gdpr", "protection of personal data"),
    (r"encrypt|backdoor", "access to data computer data"),
    (r"spontaneous|without (?:being )?(?:a )?request|proactively share", "spontaneous information"),
    (r"secret|confidential", "confidentiality"),
    (r"video ?conferenc|testify remotely|remote testimony", "videoconference hearing witness"),
    (r"transfer (?:of )?(?:prisoners|sentenced)|serve (?:their |the )?sentence", "transfer of sentenced persons"),
    (r"law enforcement cooperation|police cooperation|police (?:from|in) different", "law enforcement cooperation"),
    (
        r"electronic evidence|digital evidence|e-evidence",
        "collection of evidence in electronic form of a criminal offence",
    ),
    (
        r"scope|what crimes|which crimes|cover(?:s|ed)? ",
        "scope of application criminal offences established in accordance with this Convention serious crime",
    ),
)

_COMPILED = tuple((re.compile(pattern), wording) for pattern, wording in GLOSSARY)


def expansions(question: str) -> list[str]:
    """Treaty wording for every plain-language term found in ``question``."""
    lowered = question.lower()
    return [wording for pattern, wording in _COMPILED if pattern.search(lowered)]


def expand_query(question: str) -> str:
    """``question`` followed by the treaty wording of its plain-language terms."""
    extra = expansions(question)
    return question if not extra else question + " " + " ".join(extra)
