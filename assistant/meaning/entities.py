"""Focal named entities of a claim, and those its context does not contain.

Kinds: "acronym" (ARS, MSP, CREAI-ORS), "place" (gazetteer below), "law" (loi du 4 mars 2002,
décret n° …, Ségur), "programme" (Un chez-soi d'abord), "organisation" (Agence régionale de santé),
"person" (Jean Dupont), "name" (a lone capitalised word inside a sentence: "selon Gardien") and
"address" (www.creaiors-occitanie.fr, a mail address: matched without scheme or « www. »).
An acronym and its expansion match each other; so do a place's French and English names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.meaning.synonyms import stated, with_digits
from assistant.text import fold, tokens
from assistant.meaning.words import (
    FUNCTION_WORDS,
    Finding,
    PhraseTable,
    Word,
    clause_breaks,
    sentence_starts,
    stem,
    words,
)

# Places: one place per entry (";"), its names separated by "|", the first being the key.
COUNTRIES = """
France | French Republic ; Allemagne | Germany ; Belgique | Belgium ; Suisse | Switzerland ; Italie | Italy ;
Espagne | Spain ; Portugal ; Luxembourg ; Pays-Bas | Netherlands | Hollande | Holland ; Royaume-Uni | United Kingdom | UK ;
Angleterre | England ; Écosse | Scotland ; Pays de Galles | Wales ; Irlande | Ireland ; Irlande du Nord | Northern Ireland ;
Autriche | Austria ; Danemark | Denmark ; Suède | Sweden ; Norvège | Norway ; Finlande | Finland ; Islande | Iceland ;
Pologne | Poland ; République tchèque | Tchéquie | Czech Republic | Czechia ; Slovaquie | Slovakia ; Hongrie | Hungary ;
Roumanie | Romania ; Bulgarie | Bulgaria ; Grèce | Greece ; Chypre | Cyprus ; Malte | Malta ; Slovénie | Slovenia ;
Croatie | Croatia ; Serbie | Serbia ; Bosnie-Herzégovine | Bosnia and Herzegovina ; Monténégro | Montenegro ;
Albanie | Albania ; Macédoine du Nord | North Macedonia ; Kosovo ; Estonie | Estonia ; Lettonie | Latvia ;
Lituanie | Lithuania ; Biélorussie | Belarus ; Ukraine ; Moldavie | Moldova ; Russie | Russia ; Turquie | Turkey | Türkiye ;
Géorgie | Georgia ; Arménie | Armenia ; Azerbaïdjan | Azerbaijan ; Kazakhstan ; Ouzbékistan | Uzbekistan ;
Turkménistan | Turkmenistan ; Kirghizistan | Kyrgyzstan ; Tadjikistan | Tajikistan ; Monaco ; Andorre | Andorra ;
Liechtenstein ; Saint-Marin | San Marino ; Vatican ;
États-Unis | Etats-Unis | United States | USA | US ; Canada ; Mexique | Mexico ; Guatemala ; Honduras ; Salvador | El Salvador ;
Nicaragua ; Costa Rica ; Panama ; Cuba ; Haïti | Haiti ; République dominicaine | Dominican Republic ; Jamaïque | Jamaica ;
Colombie | Colombia ; Venezuela ; Équateur | Ecuador ; Pérou | Peru ; Bolivie | Bolivia ; Brésil | Brazil ; Chili | Chile ;
Argentine | Argentina ; Uruguay ; Paraguay ; Guyana ; Suriname ;
Maroc | Morocco ; Algérie | Algeria ; Tunisie | Tunisia ; Libye | Libya ; Égypte | Egypt ; Soudan | Sudan ;
Soudan du Sud | South Sudan ; Mauritanie | Mauritania ; Sénégal | Senegal ; Mali ; Niger ; Nigeria ; Tchad | Chad ;
Burkina Faso ; Côte d'Ivoire | Ivory Coast ; Guinée | Guinea ; Guinée-Bissau | Guinea-Bissau ; Sierra Leone ; Liberia ;
Ghana ; Togo ; Bénin | Benin ; Cameroun | Cameroon ; Gabon ; Congo ; République démocratique du Congo | RDC | DRC ;
Centrafrique | Central African Republic ; Guinée équatoriale | Equatorial Guinea ; Éthiopie | Ethiopia ;
Érythrée | Eritrea ; Djibouti ; Somalie | Somalia ; Kenya ; Ouganda | Uganda ; Rwanda ; Burundi ; Tanzanie | Tanzania ;
Mozambique ; Madagascar ; Maurice | Mauritius ; Comores | Comoros ; Seychelles ; Malawi ; Zambie | Zambia ;
Zimbabwe ; Angola ; Namibie | Namibia ; Botswana ; Afrique du Sud | South Africa ; Lesotho ; Eswatini ; Cap-Vert | Cape Verde ;
Gambie | Gambia ;
Liban | Lebanon ; Syrie | Syria ; Israël | Israel ; Palestine ; Jordanie | Jordan ; Irak | Iraq ; Iran ;
Arabie saoudite | Saudi Arabia ; Koweït | Kuwait ; Qatar ; Bahreïn | Bahrain ; Émirats arabes unis | United Arab Emirates ;
Oman ; Yémen | Yemen ; Afghanistan ; Pakistan ; Inde | India ; Népal | Nepal ; Bhoutan | Bhutan ; Bangladesh ;
Sri Lanka ; Maldives ; Chine | China ; Japon | Japan ; Corée du Sud | South Korea ; Corée du Nord | North Korea ;
Mongolie | Mongolia ; Taïwan | Taiwan ; Vietnam | Viêt Nam ; Laos ; Cambodge | Cambodia ; Thaïlande | Thailand ;
Birmanie | Myanmar ; Malaisie | Malaysia ; Singapour | Singapore ; Indonésie | Indonesia ; Philippines ; Brunei ;
Timor oriental | East Timor ; Australie | Australia ; Nouvelle-Zélande | New Zealand ; Papouasie-Nouvelle-Guinée |
Papua New Guinea ; Fidji | Fiji ; Vanuatu ; Samoa ; Tonga
"""

REGIONS = """
Auvergne-Rhône-Alpes | AURA ; Bourgogne-Franche-Comté | BFC ; Bretagne | Brittany ; Centre-Val de Loire ; Corse | Corsica ;
Grand Est ; Hauts-de-France ; Île-de-France | IDF ; Normandie | Normandy ; Nouvelle-Aquitaine ; Occitanie ;
Pays de la Loire | PDL ; Provence-Alpes-Côte d'Azur | PACA | Région Sud ; Guadeloupe ; Martinique ; Guyane | French Guiana ;
La Réunion | Réunion ; Mayotte ; Nouvelle-Calédonie | New Caledonia ; Polynésie française | French Polynesia ;
Alsace ; Aquitaine ; Auvergne ; Basse-Normandie ; Haute-Normandie ; Bourgogne | Burgundy ; Champagne-Ardenne ;
Franche-Comté ; Languedoc-Roussillon ; Limousin ; Lorraine ; Midi-Pyrénées ; Nord-Pas-de-Calais ; Picardie ;
Poitou-Charentes ; Rhône-Alpes ; Provence ; Savoie ; Haute-Savoie ; Bretagne ;
Québec | Quebec ; Ontario ; Wallonie | Wallonia ; Flandre | Flandres | Flanders ; Catalogne | Catalonia ; Californie | California ;
Europe ; Afrique | Africa ; Asie | Asia ; Amérique | America ; Amérique du Nord | North America ; Amérique latine |
Latin America ; Amérique du Sud | South America ; Océanie | Oceania ; Maghreb ; Scandinavie | Scandinavia ;
Union européenne | European Union | UE | EU
"""

CITIES = """
Paris ; Marseille ; Lyon ; Toulouse ; Nice ; Nantes ; Montpellier ; Strasbourg ; Bordeaux ; Lille ; Rennes ; Reims ;
Toulon ; Saint-Étienne ; Le Havre ; Grenoble ; Dijon ; Angers ; Nîmes ; Villeurbanne ; Clermont-Ferrand ; Le Mans ;
Aix-en-Provence ; Brest ; Tours ; Amiens ; Limoges ; Annecy ; Perpignan ; Besançon ; Metz ; Orléans ; Rouen ; Mulhouse ;
Caen ; Nancy ; Avignon ; Poitiers ; Pau ; La Rochelle ; Calais ; Cannes ; Ajaccio ; Bastia ; Béziers ; Bourges ;
Colmar ; Quimper ; Valence ; Troyes ; Chambéry ; Niort ; Lorient ; Vannes ; Saint-Brieuc ; Laval ; Cholet ;
La Roche-sur-Yon ; Saint-Nazaire ; Angoulême ; Périgueux ; Agen ; Mont-de-Marsan ; Bayonne ; Tarbes ; Auch ; Albi ;
Rodez ; Cahors ; Montauban ; Foix ; Carcassonne ; Mende ; Privas ; Digne-les-Bains ; Draguignan ; Arles ;
Aurillac ; Le Puy-en-Velay ; Moulins ; Vichy ; Nevers ; Auxerre ; Mâcon ; Chalon-sur-Saône ; Lons-le-Saunier ; Vesoul ;
Belfort ; Épinal ; Bar-le-Duc ; Charleville-Mézières ; Châlons-en-Champagne ; Chaumont ; Beauvais ; Compiègne ; Laon ;
Saint-Quentin ; Arras ; Dunkerque ; Boulogne-sur-Mer ; Évreux ; Alençon ; Saint-Lô ; Cherbourg ; Chartres ; Blois ;
Châteauroux ; Guéret ; Tulle ; Bourg-en-Bresse ; Créteil ; Nanterre ; Bobigny ; Versailles ; Évry ; Cergy ; Melun ;
Saint-Denis ; Fort-de-France ; Pointe-à-Pitre ; Cayenne ; Mamoudzou ; Nouméa ; Papeete ;
Londres | London ; Bruxelles | Brussels ; Genève | Geneva ; Lausanne ; Berne | Bern ; Zurich ; Bâle | Basel ;
Liège ; Namur ; Charleroi ; Mons ; Anvers | Antwerp ; Gand | Ghent ; Montréal | Montreal ; Sherbrooke ;
Trois-Rivières ; Gatineau ; Ottawa ; Toronto ; Vancouver ; New York ; Boston ; Chicago ; Los Angeles ; San Francisco ;
Washington ; Philadelphie | Philadelphia ; Berlin ; Munich | München ; Hambourg | Hamburg ; Francfort | Frankfurt ;
Cologne | Köln ; Madrid ; Barcelone | Barcelona ; Séville | Seville ; Rome ; Milan ; Turin ; Naples ; Trieste ;
Lisbonne | Lisbon ; Porto ; Amsterdam ; Rotterdam ; Utrecht ; Vienne | Vienna ; Prague ; Varsovie | Warsaw ;
Cracovie | Krakow ; Budapest ; Bucarest | Bucharest ; Athènes | Athens ; Stockholm ; Oslo ; Copenhague | Copenhagen ;
Helsinki ; Dublin ; Édimbourg | Edinburgh ; Manchester ; Birmingham ; Glasgow ; Leeds ; Liverpool ; Bristol ;
Moscou | Moscow ; Istanbul ; Le Caire | Cairo ; Alger | Algiers ; Tunis ; Rabat ; Casablanca ; Dakar ; Abidjan ;
Bamako ; Ouagadougou ; Niamey ; Yaoundé ; Douala ; Libreville ; Brazzaville ; Kinshasa ; Beyrouth | Beirut ;
Jérusalem | Jerusalem ; Tel Aviv ; Tokyo ; Pékin | Beijing ; Shanghai ; Hong Kong ; Séoul | Seoul ;
New Delhi | Delhi ; Bombay | Mumbai ; Sydney ; Melbourne ; Rio de Janeiro ; São Paulo | Sao Paulo ; Buenos Aires ;
Bogota | Bogotá ; Santiago ; Lima
"""

# A demonym in the context names the place well enough: "une étude belge" covers "en Belgique".
DEMONYMS = {
    "France": "français française français françaises",
    "Belgique": "belge belges",
    "Suisse": "suisse suisses",
    "Québec": "québécois québécoise québécoises",
    "Canada": "canadien canadienne canadiens canadiennes",
    "Allemagne": "allemand allemande allemands allemandes",
    "Italie": "italien italienne italiens italiennes",
    "Espagne": "espagnol espagnole espagnols espagnoles",
    "Royaume-Uni": "britannique britanniques",
    "Angleterre": "anglais anglaise anglaises",
    "États-Unis": "américain américaine américains américaines",
    "Europe": "européen européenne européens européennes",
    "Amérique du Nord": "nord-américain nord-américaine nord-américains nord-américaines",
    "Amérique latine": "latino-américain latino-américaine latino-américains latino-américaines",
    "Pays-Bas": "néerlandais néerlandaise néerlandaises",
    "Portugal": "portugais portugaise portugaises",
    "Irlande": "irlandais irlandaise irlandaises",
    "Écosse": "écossais écossaise écossaises",
    "Australie": "australien australienne australiens australiennes",
    "Scandinavie": "scandinave scandinaves",
    "Suède": "suédois suédoise suédoises",
    "Norvège": "norvégien norvégienne norvégiens norvégiennes",
    "Danemark": "danois danoise danoises",
    "Finlande": "finlandais finlandaise finlandaises",
    "Autriche": "autrichien autrichienne autrichiens autrichiennes",
    "Luxembourg": "luxembourgeois luxembourgeoise luxembourgeoises",
    "Japon": "japonais japonaise japonaises",
    "Chine": "chinois chinoise chinoises",
    "Afrique": "africain africaine africains africaines",
    "Maghreb": "maghrébin maghrébine maghrébins maghrébines",
}

ACRONYMS = {
    "MSP": "médiateur de santé pair | médiateurs de santé pairs | médiateur santé pair",
    "ARS": "agence régionale de santé",
    "HAS": "haute autorité de santé",
    "ETP": "éducation thérapeutique du patient | éducation thérapeutique",
    "CCOMS": "centre collaborateur de l'OMS | centre collaborateur de l'organisation mondiale de la santé",
    "GEM": "groupe d'entraide mutuelle | groupes d'entraide mutuelle",
    "OMS": "organisation mondiale de la santé | WHO | world health organization",
    "WHO": "world health organization | organisation mondiale de la santé | OMS",
    "AFMSP": "association francophone des médiateurs de santé pairs",
    "UNAFAM": "union nationale de familles et amis de personnes malades et/ou handicapées psychiques",
    "CLSM": "conseil local de santé mentale | conseils locaux de santé mentale",
    "IREPS": "instance régionale d'éducation et de promotion de la santé",
    "CRES": "comité régional d'éducation pour la santé",
    "CODES": "comité départemental d'éducation pour la santé",
    "COPS": "centre opérationnel du partenariat en santé",
    "SDF": "sans domicile fixe | sans-abri | sans abri",
    "CREAI": "centre régional d'études, d'actions et d'informations",
    "ORS": "observatoire régional de la santé",
    "CREAI-ORS": "centre régional d'études, d'actions et d'informations - observatoire régional de la santé",
    "DU": "diplôme universitaire",
    "DIU": "diplôme interuniversitaire",
    "MDPH": "maison départementale des personnes handicapées",
    "CNSA": "caisse nationale de solidarité pour l'autonomie",
    "DGOS": "direction générale de l'offre de soins",
    "DGS": "direction générale de la santé",
    "DGCS": "direction générale de la cohésion sociale",
    "DIHAL": "délégation interministérielle à l'hébergement et à l'accès au logement",
    "DDCS": "direction départementale de la cohésion sociale",
    "CHU": "centre hospitalier universitaire",
    "CH": "centre hospitalier",
    "CMP": "centre médico-psychologique",
    "CRA": "centre ressources autisme",
    "RAPT": "réponse accompagnée pour tous",
    "PTSM": "projet territorial de santé mentale",
    "CPTS": "communauté professionnelle territoriale de santé",
    "HCSP": "haut conseil de la santé publique",
    "EHESP": "école des hautes études en santé publique",
    "INSERM": "institut national de la santé et de la recherche médicale",
    "CNRS": "centre national de la recherche scientifique",
    "ESAT": "établissement et service d'aide par le travail",
    "SAMSAH": "service d'accompagnement médico-social pour adultes handicapés",
    "SAVS": "service d'accompagnement à la vie sociale",
    "ESMS": "établissements et services médico-sociaux",
    "PSSM": "premiers secours en santé mentale",
    "CoP": "communauté de pratique",
    "APF": "association des paralysés de france | APF France handicap",
    "FEHAP": "fédération des établissements hospitaliers et d'aide à la personne",
    "CPAM": "caisse primaire d'assurance maladie",
    "CAF": "caisse d'allocations familiales",
    "NHS": "national health service",
    "UE": "union européenne | EU | european union",
    "PACA": "Provence-Alpes-Côte d'Azur",
    "PDL": "Pays de la Loire",
    "BFC": "Bourgogne-Franche-Comté",
}
PROGRAMMES = {
    "Un chez-soi d'abord": "un chez soi d'abord | housing first",
    "Housing First": "un chez-soi d'abord",
    "Réponse accompagnée pour tous": "RAPT",
    "Ma santé 2022": "",
    "Mon soutien psy": "",
    "Premiers secours en santé mentale": "PSSM",
    "Ségur de la santé": "Ségur",
    "Ségur": "Ségur de la santé",
}
LAW_ALIASES = {
    "loi du 4 mars 2002": "loi Kouchner | loi n° 2002-303 | loi relative aux droits des malades",
    "loi du 11 février 2005": "loi handicap | loi n° 2005-102 | loi pour l'égalité des droits et des chances",
    "loi du 2 janvier 2002": "loi n° 2002-2 | loi rénovant l'action sociale et médico-sociale",
    "loi du 26 janvier 2016": "loi de modernisation de notre système de santé | loi n° 2016-41",
}
_ORGANISATION_HEADS = frozenset(
    """agence autorite haute haut centre federation association union institut ministere direction delegation
    conseil groupe reseau caisse fondation observatoire collectif comite commission societe universite faculte
    hopital clinique maison instance office secretariat assemblee ligue mutualite college ecole laboratoire
    coordination agency institute foundation department ministry university council society center network trust
    organisation organization college school""".split()
)
_CONNECTORS = frozenset("de du des d' la l' le les et pour en sur a aux au of the for and on".split())
_ADJECTIVE = re.compile(
    r"(?:al|ale|aux|ales|ique|iques|ier|iere|iers|ien|ienne|aire|aires|el|elle|els|if|ive|eux|euse|ois|oise"
    r"|ais|aise|ain|aine|e|ee|es|ees|eur|rice|nel|nelle|al|ic|ical|ian|ish|ed)$"
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&]*(?:-[A-Z0-9][A-Za-z0-9&]*)*$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_NOT_ACRONYMS = frozenset({"NB", "OK", "PS", "ETC", "TV", "PDF", "URL", "PhD"})
_TITLES = frozenset("m mme mlle mr mrs ms dr pr prof docteur professeur monsieur madame".split())
_MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday i""".split()
)
_LAW = re.compile(
    r"\b(?i:lois?|décrets?|decrets?|circulaires?|ordonnances?|arrêtés?|arretes?|instructions?)"
    r"\s+(?:(?i:n°|no\.?|numéro)\s*[\w/.-]*\d[\w/.-]*(?:\s+(?i:du)\s+\d{1,2}(?:er)?\s+\w+\s+\d{4})?"
    r"|(?i:du)\s+\d{1,2}(?:er)?\s+[a-zéû]+\s+\d{4}"
    r"|[A-ZÉ][\w-]+(?:\s+[A-ZÉ][\w-]+)?)"
)
_MAX_ORGANISATION_WORDS = 8


@dataclass(frozen=True)
class Entity:
    text: str  # as written
    kind: str  # acronym, place, law, programme, organisation, person, name, address
    key: str  # folded canonical form
    start: int
    end: int


def _entries(table: str) -> list[list[str]]:
    return [[n.strip() for n in entry.split("|") if n.strip()] for entry in table.split(";") if entry.strip()]


def _alternatives(table: dict[str, str]) -> dict[str, list[str]]:
    return {name: [a.strip() for a in others.split("|") if a.strip()] for name, others in table.items()}


def _with_spaces(name: str) -> list[str]:
    """"Île-de-France" is also written "Ile de France"."""
    return [name, name.replace("-", " ")] if "-" in name else [name]


_PLACES = _entries(COUNTRIES) + _entries(REGIONS) + _entries(CITIES)
_COUNTRY_KEYS = frozenset(" ".join(w.folded for w in words(names[0])) for names in _entries(COUNTRIES))
PLACE_NAMES = tuple(tuple(names) for names in _PLACES)  # each place's names, French and English
_PLACE_KEYS: dict[str, str] = {}
_PLACE_NAMES: dict[str, list[str]] = {}
for _names in _PLACES:
    _key = _names[0]
    _PLACE_NAMES.setdefault(_key, []).extend(_names + DEMONYMS.get(_key, "").split())
    for _name in _names:
        for _variant in _with_spaces(_name):
            _PLACE_KEYS.setdefault(_variant, _key)
_PLACE_TABLE = PhraseTable(_PLACE_KEYS, by="folded")
_LEVELS = {fold(names[0]): level for level, table in (("country", COUNTRIES), ("region", REGIONS), ("city", CITIES))
           for names in _entries(table)}


def place_level(name: str) -> str:
    """"country", "region" or "city" for a place the gazetteer knows, "" for another name."""
    written = name.replace("’", "'")
    key = _PLACE_KEYS.get(written) or _PLACE_KEYS.get(written.replace(" ", "-"))
    return _LEVELS.get(fold(key), "") if key else ""


# A foreign demonym names its place ("des projets belges" are Belgian projects); the French
# ones are too common here to be focal, and "anglais" is mostly the language.
_DEMONYM_TABLE = PhraseTable({d: place for place, ds in DEMONYMS.items() if place not in ("France", "Angleterre")
                              for d in ds.split()}, by="folded")
_ACRONYM_EXPANSIONS = _alternatives(ACRONYMS)
_EXPANSION_TABLE = PhraseTable(
    {expansion: acronym for acronym, expansions in _ACRONYM_EXPANSIONS.items() for expansion in expansions
     if not expansion.isupper()},
    by="stem",
)
_PROGRAMME_NAMES = _alternatives(PROGRAMMES)
_PROGRAMME_TABLE = PhraseTable({v: name for name in PROGRAMMES for v in _with_spaces(name)}, by="folded")
_KNOWN_ACRONYMS = {a.upper(): a for a in ACRONYMS}
_LAW_ALIASES = _alternatives(LAW_ALIASES)


# Detection -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    first: int  # word indexes, inclusive
    last: int
    kind: str
    key: str


def countries(text: str) -> set[str]:
    """The countries a text names, by name or foreign demonym (their folded keys: « en
    Belgique », "Belgium" and « belges » are all "belgique")."""
    return {e.key for e in focal_entities(text) if e.kind == "place" and e.key in _COUNTRY_KEYS}


def focal_entities(text: str) -> list[Entity]:
    """Named entities that a claim must not invent: acronyms, places, laws, programmes, names."""
    ws = words(text)
    starts = sentence_starts(text, ws)
    breaks = clause_breaks(text, ws)
    heading = _looks_like_heading(ws)
    spans: list[_Span] = []
    taken: set[int] = set()
    finders = (_addresses(text, ws), _laws(text, ws), _programmes(ws), _places(ws), _organisations(ws, starts, breaks, heading))
    for found in finders:
        _add(spans, taken, found)
    _add(spans, taken, _acronyms(ws, heading))
    if not heading:
        _add(spans, taken, _names(ws, starts, breaks, taken))
    spans.sort(key=lambda s: s.first)
    return [Entity(text[ws[s.first].start : ws[s.last].end], s.kind, s.key, ws[s.first].start, ws[s.last].end) for s in spans]


def _add(spans: list[_Span], taken: set[int], found: Sequence[_Span]) -> None:
    for span in found:
        indexes = set(range(span.first, span.last + 1))
        if not indexes & taken:
            spans.append(span)
            taken |= indexes


def _looks_like_heading(ws: Sequence[Word]) -> bool:
    """"LE RÔLE DES PAIRS", "Intervention Par Les Pairs": capitals carry no meaning there."""
    long_words = [w for w in ws if len(w.text) > 2 and w.text[0].isalpha()]
    shouted = [w for w in long_words if w.text.isupper()]
    if len(shouted) >= 3 and len(shouted) >= 0.6 * len(long_words):
        return True
    mixed = [w for w in long_words if not w.text.isupper()]
    capitalised = sum(w.text[0].isupper() for w in mixed)
    return len(mixed) >= 4 and capitalised >= 0.75 * len(mixed)


def _key(text: str) -> str:
    return " ".join(w.folded for w in words(text))


def _laws(text: str, ws: Sequence[Word]) -> list[_Span]:
    found = []
    for match in _LAW.finditer(text):
        first = next(k for k, w in enumerate(ws) if w.end > match.start())
        last = max(k for k, w in enumerate(ws) if w.start < match.end())
        found.append(_Span(first, last, "law", _key(match.group())))
    return found


# A web site or an e-mail address names one place on the web: « le site www.creaiors-occitanie.fr »
# is not « www.partenariat-en-sante.org », however many words the two sentences share.
# A bare domain ends in a lower-case suffix not followed by a word: « réseau.Net » is a
# missing space, « service-public.fr. Il » an address at a sentence's end.
_ADDRESS = re.compile(
    r"(?:\b[\w.+-]+@|\bhttps?://|\bwww\.)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\b|"
    r"\b[\w-]+(?:\.[\w-]+)*\.(?-i:fr|org|com|net|eu)(?![\w-]|\.\w)",
    re.I)
_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?", re.I)


def address_key(address: str) -> str:
    """A web address without its scheme and « www. », folded: what two spellings of it share."""
    return fold(_SCHEME.sub("", address)).lower()


def _addresses(text: str, ws: Sequence[Word]) -> list[_Span]:
    found = []
    for match in _ADDRESS.finditer(text):
        covered = [k for k, w in enumerate(ws) if w.end > match.start() and w.start < match.end()]
        if covered:
            found.append(_Span(covered[0], covered[-1], "address", address_key(match.group())))
    return found


def _programmes(ws: Sequence[Word]) -> list[_Span]:
    return [_Span(m.first, m.last, "law" if m.label.startswith("Ségur") else "programme", _key(m.label))
            for m in _PROGRAMME_TABLE.find(ws)]


def _places(ws: Sequence[Word]) -> list[_Span]:
    named = [_Span(m.first, m.last, "place", _key(m.label)) for m in _PLACE_TABLE.find(ws) if ws[m.first].text[:1].isupper()]
    return named + [_Span(m.first, m.last, "place", _key(m.label)) for m in _DEMONYM_TABLE.find(ws)]


def _organisations(ws: Sequence[Word], starts: frozenset[int], breaks: frozenset[int], heading: bool) -> list[_Span]:
    """Known expansions anywhere; other names from a head noun ("Agence", "Fédération") inside a sentence."""
    found = [
        _Span(m.first, m.last, "organisation", _key(" ".join(w.text for w in ws[m.first : m.last + 1])))
        for m in _EXPANSION_TABLE.find(ws)
        if ws[m.first].text[:1].isupper()
    ]
    if heading:
        return found
    known = {k for s in found for k in range(s.first, s.last + 1)}
    for i, word in enumerate(ws):
        if i in known or i in starts or not word.text[:1].isupper() or word.folded not in _ORGANISATION_HEADS:
            continue
        last = _organisation_end(ws, i, breaks)
        if last > i:
            found.append(_Span(i, last, "organisation", _key(" ".join(w.text for w in ws[i : last + 1]))))
            known.update(range(i, last + 1))
    return found


def _organisation_end(ws: Sequence[Word], head: int, breaks: frozenset[int]) -> int:
    """Last word of "Agence régionale de santé", "Groupe d'entraide mutuelle", "Centre collaborateur de l'OMS"."""
    last, previous = head, "head"
    for k in range(head + 1, min(len(ws), head + _MAX_ORGANISATION_WORDS)):
        word = ws[k]
        if k in breaks:
            break
        if word.folded in _CONNECTORS and word.text != "a":  # "a" unaccented is the verb: "Université a été"
            previous = "connector"
            continue
        if word.text[:1].isupper():
            last, previous = k, "name"
            continue
        # a lowercase adjective belongs to the head's phrase ("Agence régionale", "personnes
        # handicapées"), not to a name closing it: "…en Santé propose" goes on with its verb
        if previous == "connector" or (previous != "name" and _ADJECTIVE.search(word.folded) and not _participle_verb(ws, k)):
            last, previous = k, "word"
            continue
        break
    return last


_GOVERNED = frozenset("par a aux au en pour dans sur avec by to for in".split())


def _participle_verb(ws: Sequence[Word], k: int) -> bool:
    """"Université consacré aux patients", "Agence créée en 2010": a participle with its
    complement is what is said of the name, not part of it."""
    return ws[k].text.endswith(("é", "ée", "és", "ées")) and k + 1 < len(ws) and ws[k + 1].folded in _GOVERNED


def _acronyms(ws: Sequence[Word], heading: bool) -> list[_Span]:
    found = []
    for i, word in enumerate(ws):
        if _is_acronym(word, heading):
            key = _KNOWN_ACRONYMS.get(word.text.upper(), word.text)
            found.append(_Span(i, i, "acronym", key.lower()))
    return found


def _is_acronym(word: Word, heading: bool) -> bool:
    text = word.text
    if text.upper() in _KNOWN_ACRONYMS:
        return text.isupper() or text == _KNOWN_ACRONYMS[text.upper()] or (len(text) >= 4 and text[0].isupper())
    if heading or not _ACRONYM.match(text) or text in _NOT_ACRONYMS or _ROMAN.match(text):
        return False
    capitals = sum(ch.isupper() for ch in text)
    longest_lower_run = max((len(run) for run in re.findall(r"[a-z]+", text)), default=0)
    # All-capital words longer than 6 letters are shouting ("AIDANCE"), not acronyms.
    parts_short = all(len(part) <= (6 if part.isupper() else 8) for part in text.split("-"))
    return capitals >= 2 and longest_lower_run <= 2 and parts_short and word.folded not in FUNCTION_WORDS


# English capitalises these adjectives: "the European Topside project" names Topside, which
# the French passage calls « le projet expérimental européen Topside ».
_ENGLISH_DEMONYMS = frozenset("european french belgian swiss canadian german italian spanish british english american "
                              "scottish irish dutch australian".split())
# Capitalised words that open a name without being part of it: "Selon", "Dr", "European".
_NOT_A_NAME = FUNCTION_WORDS | _TITLES | _ENGLISH_DEMONYMS


def _names(ws: Sequence[Word], starts: frozenset[int], breaks: frozenset[int], taken: set[int]) -> list[_Span]:
    """Capitalised words inside a sentence: "Jean Dupont" (person), "selon Gardien" (name)."""
    found, i = [], 0
    while i < len(ws):
        if not _capitalised_name_word(ws[i]) or i in taken:
            i += 1
            continue
        if ws[i].folded in _NOT_A_NAME and i + 1 < len(ws) and _capitalised_name_word(ws[i + 1]):
            i += 1  # "Selon Emmanuelle Gardien", "Dr Smith": the name starts after the opening word
            starts = starts - {i - 1, i}
        last = i
        while last + 1 < len(ws) and _continues_name(ws, last + 1, starts | breaks, taken):
            last += 1
        at_start = i in starts
        first_is_common = ws[i].folded in _NOT_A_NAME
        if last > i and not first_is_common:
            found.append(_Span(i, last, "person", _key(" ".join(w.text for w in ws[i : last + 1]))))
        elif not at_start and not first_is_common and len(ws[i].text) > 1:
            found.append(_Span(i, i, "name", ws[i].folded))
        i = last + 1
    return found


def _continues_name(ws: Sequence[Word], k: int, stops: frozenset[int], taken: set[int]) -> bool:
    return k not in taken and k not in stops and _capitalised_name_word(ws[k])


def _capitalised_name_word(word: Word) -> bool:
    text = word.text
    return text[:1].isupper() and not text.isupper() and word.folded not in _MONTHS_AND_DAYS


# Presence --------------------------------------------------------------------------------


MAX_HYPHENATED_ACRONYM = 8


def _sequence(text: str) -> tuple[str, ...]:
    """Stems of the words that name things: function words dropped, unless written in capitals ("DU")."""
    return tuple(
        stem(part)
        for w in words(text)
        if w.folded not in FUNCTION_WORDS or (w.text.isupper() and len(w.text) > 1)
        for part in _parts(w)
        if part and (part not in FUNCTION_WORDS or w.text.isupper())
    )


def _parts(word: Word) -> list[str]:
    """A word's parts; a short acronym is one however it is hyphenated ("AP-HM" = "APHM")."""
    if word.text.isupper() and len(word.text) <= MAX_HYPHENATED_ACRONYM:
        return [word.folded.replace("-", "").replace("'", "")]
    return word.folded.replace("'", "-").split("-")


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return size > 0 and any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


def _names_of(entity: Entity) -> list[str]:
    """What else the context may call this entity."""
    names = [entity.text]
    if entity.kind == "acronym":
        acronym = _KNOWN_ACRONYMS.get(entity.text.upper(), entity.text)
        names += _ACRONYM_EXPANSIONS.get(acronym, [])
    if entity.kind == "organisation":
        expansion = _key(entity.text)
        names += [a for a, expansions in _ACRONYM_EXPANSIONS.items() if any(_key(e) == expansion for e in expansions)]
    if entity.kind == "place":
        key = _PLACE_KEYS.get(entity.text) or next(
            (k for n, k in _PLACE_KEYS.items() if _key(n) == entity.key), entity.text
        )
        names += _PLACE_NAMES.get(key, [])
        names += [a for a, expansions in _ACRONYM_EXPANSIONS.items() if key in expansions]
    if entity.kind in {"programme", "law"}:
        canonical = next((n for n in PROGRAMMES if _key(n) == entity.key), None)
        names += _PROGRAMME_NAMES.get(canonical, []) if canonical else []
        for law, aliases in _LAW_ALIASES.items():
            if _key(law) == entity.key or any(_key(a) == entity.key for a in aliases):
                names += [law, *aliases]
    if entity.kind in {"person", "name"}:
        names.append(entity.text.split()[-1])  # "Emmanuelle Gardien" is "Gardien" in a citation
    qualified = _QUALIFIED_ACRONYM.match(entity.text)
    if qualified:
        names.append(qualified.group(1))  # "CNSA-funded", "WHO-led": the body is the acronym
    return names


_QUALIFIED_ACRONYM = re.compile(r"^([A-Z][A-Z0-9]{1,9})-[a-z]+$")


def missing_entities(claim: str, context: str) -> list[Entity]:
    """The claim's focal entities that the context does not name, in any of their names."""
    haystack = _sequence(context)
    addresses = {address_key(m.group()) for m in _ADDRESS.finditer(context)}
    return [e for e in focal_entities(claim)
            if (e.key not in addresses if e.kind == "address" else not any(_contains(haystack, _sequence(n)) for n in _names_of(e)))]


def entity_finding(claim: str, context: str) -> Finding | None:
    missing = missing_entities(claim, context)
    if not missing:
        return None
    names = ", ".join(e.text for e in missing)
    return Finding("entity_missing", names, "", f"the context does not name {names}")


# A term the claim puts in quotes is a name: « savoirs situés » is not « savoirs expérientiels ».
_QUOTED = re.compile(r"[«“\"]\s*([^«»“”\"]{2,80}?)\s*[»”\"]")
QUOTED_WORDS = 6  # longer quotes are sentences, read by the other checks


def quoted_term_missing(claim: str, context: str) -> Finding | None:
    """A quoted term of the claim whose words the evidence does not all say."""
    said = with_digits(set(tokens(context)))
    for match in _QUOTED.finditer(claim):
        term = tokens(match.group(1))
        if not term or len(term) > QUOTED_WORDS:
            continue
        unsaid = [t for t in term if not stated(t, said)]
        if unsaid:
            return Finding("quoted_term_missing", match.group(1), "", f"the evidence does not say « {match.group(1)} »")
    return None


# A longer quotation is the passage's own words: the model that writes quotation marks says the
# passage wrote exactly this. An opening mark the sentence never closes quotes up to its end.
_QUOTATION = re.compile(r"«([^«»]+)(?:»|$)|“([^“”]+)(?:”|$)|\"([^\"]+)(?:\"|$)")
_ELLIPSIS = re.compile(r"\[?(?:\.\.\.|…)\]?")


def quotations(text: str) -> list[str]:
    """The quoted passages of a sentence, closed or running to its end."""
    return [next(g for g in m.groups() if g is not None) for m in _QUOTATION.finditer(text)]


def _verbatim_key(text: str) -> str:
    """Words only, folded: quoting may change case, accents on capitals, spacing and punctuation."""
    return " ".join(re.findall(r"\w+", fold(text).lower()))


def misquoted(claim: str, passage: str) -> Finding | None:
    """A quotation of more than QUOTED_WORDS words that the passage does not write, word for
    word (an ellipsis may leave words out): « … visant à un travail social » for « … visant à
    un changement »."""
    written = f" {_verbatim_key(passage)} "
    for quote in quotations(claim):
        if len(tokens(quote)) <= QUOTED_WORDS:
            continue
        parts = [key for key in map(_verbatim_key, _ELLIPSIS.split(quote)) if key]
        if any(f" {key} " not in written for key in parts):
            return Finding("misquoted", quote.strip()[:80], "", "the claim quotes words the passage does not write")
    return None
