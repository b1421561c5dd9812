"""Words the generated record is made of: names, titles, topics and sentence patterns.

French first, like the source article, with some English articles; accented names on
purpose, so that the accent-insensitive search is exercised at scale.
"""

from alliance.models import Leaning, MembershipRole, OrganisationKind

# Syllables for invented proper names ("Valmora", "Kerlanix", "Brévent").
ONSETS = ["b", "br", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "tr"]
VOWELS = ["a", "e", "i", "o", "u", "é", "è", "ai", "ou", "ia", "ü"]
CODAS = ["", "", "", "n", "r", "l", "s", "x", "m", "nt"]

COMPANY_SUFFIXES = ["Labs", "AI", "Systems", "Technologies", "Robotics", "Data", "Cloud", "SA"]
COMPANY_SUFFIXES += ["Intelligence", "Networks", "Software", "Analytics", "Group", "GmbH"]
ACADEMIC_PATTERNS = [
    "Université de {place}",
    "Institut {name} de mathématiques",
    "École polytechnique de {place}",
    "{name} Institute of Technology",
    "Laboratoire {name} d’informatique",
    "Centre de recherche {name}",
]
GOVERNMENT_PATTERNS = [
    "Agence {adjective} du numérique",
    "Ministère {adjective} de la recherche",
    "Office {adjective} de l’intelligence artificielle",
    "Autorité {adjective} des données",
]
NONPROFIT_PATTERNS = [
    "Fondation {name}",
    "Association {name} pour l’IA ouverte",
    "{name} Open Source Foundation",
    "Collectif {name}",
]
NEWS_PATTERNS = ["Le Courrier de {place}", "{name} Times", "La Gazette de {place}", "{name} Tech"]
OTHER_PATTERNS = ["Cabinet {name}", "Réseau {name}", "Observatoire {name}"]
COALITION_PATTERNS = [
    "Alliance {name}",
    "Coalition pour l’IA {adjective}",
    "Consortium {name}",
    "{name} AI Forum",
    "Partenariat {name}",
]
ADJECTIVES = ["européenne", "ouverte", "responsable", "francophone", "nordique", "atlantique"]
ADJECTIVES += ["nationale", "fédérale", "régionale", "alpine", "méditerranéenne", "sûre"]

# Kinds in the proportions a record of coalitions and companies would have.
KIND_WEIGHTS = [
    (OrganisationKind.COMPANY, 55),
    (OrganisationKind.ACADEMIC, 18),
    (OrganisationKind.NONPROFIT, 10),
    (OrganisationKind.GOVERNMENT, 8),
    (OrganisationKind.NEWS_OUTLET, 4),
    (OrganisationKind.OTHER, 5),
]
KIND_PATTERNS = {
    OrganisationKind.ACADEMIC: ACADEMIC_PATTERNS,
    OrganisationKind.GOVERNMENT: GOVERNMENT_PATTERNS,
    OrganisationKind.NONPROFIT: NONPROFIT_PATTERNS,
    OrganisationKind.NEWS_OUTLET: NEWS_PATTERNS,
    OrganisationKind.OTHER: OTHER_PATTERNS,
    OrganisationKind.COALITION: COALITION_PATTERNS,
}
COUNTRIES = ["FR", "US", "DE", "GB", "CA", "JP", "CH", "IN", "BE", "IT", "ES", "KR", ""]

FIRST_NAMES = ["Darío", "Yann", "Joëlle", "Zoé", "Hélène", "Jérôme", "Inès", "Søren", "Aïcha"]
FIRST_NAMES += ["Camille", "Nadia", "Lucas", "Mei", "Arjun", "Olga", "Tomás", "Léa", "Kwame"]
FIRST_NAMES += ["François", "Ana", "Björn", "Chloé", "Émile", "Fatou", "Hiro", "Ìsolde", "Marc"]
LAST_NAMES = ["Gil", "Le Cun", "Pineau", "Müller", "Nguyễn", "Dubois", "Okafor", "Lefèvre"]
LAST_NAMES += ["García", "Schäfer", "Tanaka", "Moreau", "Kowalski", "Rossi", "Andrés", "Ødegaard"]
LAST_NAMES += ["Bernard", "Fontaine", "Sato", "Haddad", "Ivanova", "Mbeki", "Laurent", "Peña"]

TITLES = [
    "directeur général",
    "directrice générale",
    "vice-président principal",
    "directeur de la recherche",
    "directrice scientifique",
    "responsable de l’IA",
    "chercheuse principale",
    "président du conseil",
    "cofondateur",
    "porte-parole",
]

TOPICS = [
    ("IA open source", "Ouvrir les modèles d’IA ou les garder fermés et propriétaires."),
    ("Sécurité de l’IA", "Les risques des systèmes puissants et la façon de les atténuer."),
    ("Régulation européenne", "L’AI Act et les règles qui encadrent les modèles."),
    ("Données d’entraînement", "D’où viennent les données et qui peut les utiliser."),
    ("Puces et calcul", "L’accès aux processeurs et aux centres de calcul."),
    ("Modèles de fondation", "Les grands modèles généralistes et leur diffusion."),
    ("Droit d’auteur", "Les œuvres protégées dans l’entraînement des modèles."),
    ("Transparence", "Publier les poids, le code et la documentation des modèles."),
    ("Recherche ouverte", "Partager les résultats et les jeux de données."),
    ("Concurrence", "La concentration du secteur entre quelques entreprises."),
    ("Éducation", "La formation aux métiers de l’IA."),
    ("Santé", "L’IA dans le diagnostic et la recherche médicale."),
]
TOPIC_EXTRA = ["appliquée", "générative", "embarquée", "souveraine", "frugale", "médicale"]

SYSTEM_KINDS = ["modèle de langage", "assistant conversationnel", "plateforme d’IA générative"]
SYSTEM_KINDS += ["modèle de vision", "outil de traduction", "modèle de code"]

LEANING_VERBS = {
    Leaning.OPEN: [
        "{holders} {plural_s} pour des modèles ouverts en matière de « {topic} »",
        "{holders} {defend} une approche ouverte de « {topic} »",
    ],
    Leaning.CAUTIOUS: [
        "{holders} {appelle} à la prudence sur « {topic} »",
        "{holders} {souhaite} des garde-fous sur « {topic} »",
    ],
    Leaning.CLOSED: [
        "{holders} {prefere} garder fermés les modèles touchant à « {topic} »",
        "{holders} {refuse} d’ouvrir ses travaux sur « {topic} »",
    ],
}
MEMBERSHIP_VERBS = {
    MembershipRole.FOUNDER: "{holders} {fonde} {coalition}",
    MembershipRole.KEY_CONTRIBUTOR: "{holders} {compte} parmi les contributeurs clés de {coalition}",
    MembershipRole.MEMBER: "{holders} {rejoint} {coalition}",
    MembershipRole.ABSENT: "{holders} {manque} à l’appel de {coalition}",
}
# Singular and plural forms of the verbs the patterns use.
VERBS = {
    "plural_s": ("plaide", "plaident"),
    "defend": ("défend", "défendent"),
    "appelle": ("appelle", "appellent"),
    "souhaite": ("souhaite", "souhaitent"),
    "prefere": ("préfère", "préfèrent"),
    "refuse": ("refuse", "refusent"),
    "fonde": ("fonde", "fondent"),
    "compte": ("compte", "comptent"),
    "rejoint": ("rejoint", "rejoignent"),
    "manque": ("manque", "manquent"),
}
SUMMARIES = {
    Leaning.OPEN: "Défend l’ouverture des modèles sur ce sujet.",
    Leaning.CAUTIOUS: "Demande de la prudence et des garde-fous.",
    Leaning.CLOSED: "Préfère garder les modèles fermés et propriétaires.",
}
REPORTED = ", selon {outlet}"

SECTIONS = ["Contexte", "Les membres", "Les positions", "Les absents", "Réactions", "Enjeux"]
HEADLINES = [
    "{a} et {b} lancent {coalition}",
    "Le débat sur l’IA ouverte divise {a} et {b}",
    "{coalition} s’agrandit : {a} rejoint le mouvement",
    "IA : {a} défend ses choix face à {b}",
    "Qui soutient {coalition} ?",
]
FILLER = [
    "Le débat entre modèles ouverts et fermés reste vif dans le secteur.",
    "Les observateurs attendent les prochaines annonces avec attention.",
    "La question de la sécurité revient dans chaque discussion publique.",
    "Les régulateurs suivent de près ces rapprochements entre entreprises.",
]
