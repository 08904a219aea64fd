"""Findings: the data every check emits, and the one catalogue of their codes.

A finding is a frozen record: a stable ``code`` (``TVA-TAUX``), a ``level``
(succès / alerte / erreur), a French message rendered from the catalogue's
template, a resolution hint, and where it was seen (file, line, document,
column, value, subject). Codes come from ../shared/domain.md §4 and the flows added since;
every code is declared here, so that one table lists them all (docs/findings.md is generated from it).

A template's placeholders are *slots* (:data:`SLOTS`): each has a name that says what it holds (``rule``,
``end_date``, ``client``…), a Python type checked when a finding is made, and the French rendering of its
value (a date as jj/mm/aaaa, a number with a decimal comma). A slot missing or of the wrong type is a bug of
the check that emits the finding, and :func:`make` refuses it (:class:`SlotError`) rather than print an
article code where a date belongs. A code may also declare which slot is its finding's ``subject`` and which
its ``value`` (the « Sujet » and « Valeur » columns of the reports), so those hold what they say too.
"""

from __future__ import annotations

import datetime as dt
import enum
import numbers
import string
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any


class Level(str, enum.Enum):
    """ERO levels: green done, orange non-blocking anomaly, red (usually) blocking."""

    SUCCES = "succès"
    ALERTE = "alerte"
    ERREUR = "erreur"

    @property
    def rank(self) -> int:
        return {"succès": 0, "alerte": 1, "erreur": 2}[self.value]


class SlotError(TypeError):
    """A finding was made with a slot missing, unknown to the catalogue or of the wrong type (a bug)."""


def fr_number(value: Any) -> str:
    """French number: 15.9000 → « 15,90 », 65.0000 → « 65 », -4.5 → « -4,50 »."""
    d = Decimal(str(value))
    text = f"{d:.2f}" if d != d.to_integral_value() else f"{d:.0f}"
    return text.replace(".", ",")


def fr_rate(value: Any) -> str:
    """A rate as written in France: 5.500 → « 5,5 », 20.000 → « 20 »."""
    d = Decimal(str(value)).normalize()
    return f"{d:f}".replace(".", ",")


def _fr_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _fr_score(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True)
class Slot:
    """A placeholder of the templates: what it holds (``label``), its accepted types and its rendering."""

    name: str
    types: tuple[type, ...]
    label: str
    render: Callable[[Any], str] = str

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool):          # True is an int for Python, never a line or a price here
            return bool in self.types
        if dt.date in self.types:
            return isinstance(value, dt.date)
        return isinstance(value, self.types)


_TEXT = (str,)
_INT = (numbers.Integral,)
_NUMBER = (Decimal, numbers.Integral, float)

SLOTS: dict[str, Slot] = {s.name: s for s in (
    # Where a finding was seen (also its location fields).
    Slot("source", _TEXT, "fichier (ou connecteur) où le constat a été fait"),
    Slot("line", _INT, "n° de ligne physique dans le fichier", lambda v: str(int(v))),
    Slot("document", _TEXT, "n° de document (commande, livraison) du site"),
    Slot("column", _TEXT, "colonne du fichier ou champ de la fiche"),
    Slot("value", _TEXT, "valeur lue dans le fichier ou sur la fiche, telle quelle"),
    Slot("detail", _TEXT, "précision en clair"),
    # Files and documents.
    Slot("reason", _TEXT, "motif du rejet de la ligne"),
    Slot("separator", _TEXT, "séparateur de colonnes déduit"),
    Slot("other_files", _TEXT, "autres fichiers en attente qui portent le document, avec leurs lignes"),
    Slot("previous_file", _TEXT, "fichier depuis lequel le document a déjà été intégré"),
    Slot("basis", _TEXT, "base du total comparé : HT ou TTC"),
    Slot("declared_total", _NUMBER, "total annoncé par le fichier", fr_number),
    Slot("lines_total", _NUMBER, "total recalculé depuis les lignes", fr_number),
    # Correspondences, tiers, articles.
    Slot("customer", _TEXT, "client du site (code externe, sinon e-mail ou nom)"),
    Slot("mapping", _TEXT, "correspondance : domaine, valeur externe et connecteur"),
    Slot("gc_value", _TEXT, "code de la GC visé par une correspondance"),
    Slot("article", _TEXT, "code article de la GC"),
    Slot("article_ref", _TEXT, "référence article du site ou du fichier"),
    Slot("kind", _TEXT, "coordonnée partagée (E-mail, Téléphone)"),
    Slot("relation", _TEXT, "ce qui lie les tiers qui partagent la coordonnée"),
    Slot("score", (float,), "score de similarité, de 0 à 1", _fr_score),
    # VAT.
    Slot("item", _TEXT, "ce dont les taux sont comparés, en clair (libellé, code TVA, document)"),
    Slot("vat_label", _TEXT, "libellé de TVA du site"),
    Slot("vat_number", _TEXT, "n° de TVA intracommunautaire"),
    Slot("rate", _NUMBER, "taux de TVA, en %", fr_rate),
    Slot("country", _TEXT, "pays (code ISO 3166-1 alpha-2)"),
    Slot("postcode", _TEXT, "code postal"),
    Slot("date", (dt.date,), "date de référence", _fr_date),
    # Price rules.
    Slot("rule", _TEXT, "référence de la règle tarifaire"),
    Slot("kept_rule", _TEXT, "règle identique conservée (la plus récente)"),
    Slot("other_rules", _TEXT, "autres règles concernées, en clair"),
    Slot("terms", _TEXT, "prix et remise de la règle, en clair"),
    Slot("client", _TEXT, "code client (tiers) de la GC visé par la règle"),
    Slot("category", _TEXT, "catégorie tarifaire"),
    Slot("start_date", (dt.date,), "date de début de validité", _fr_date),
    Slot("end_date", (dt.date,), "date de fin de validité", _fr_date),
    Slot("price", _NUMBER, "prix HT", fr_number),
    Slot("cost", _NUMBER, "prix d'achat HT", fr_number),
    Slot("discount", _NUMBER, "remise, en %", fr_number),
    # Safety mode, sending.
    Slot("operation", _TEXT, "opération surveillée par le mode de sécurité"),
    Slot("affected", _INT, "nombre d'éléments que l'opération toucherait", lambda v: str(int(v))),
    Slot("record", _TEXT, "code de l'article ou du client envoyé"),
    Slot("characters", _TEXT, "caractères non représentables"),
    Slot("encoding", _TEXT, "encodage du fichier"),
    Slot("written", _TEXT, "texte écrit à la place"),
)}
LOCATION_KEYS = ("source", "line", "document", "column", "value", "subject")


def template_slots(template: str) -> tuple[str, ...]:
    """The placeholders of a template, in order, each once."""
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class CodeSpec:
    """Catalogue entry: what a code means and how it is worded.

    ``subject`` and ``value`` name the slots whose rendering fills the finding's ``subject`` and ``value``
    (None: the check gives those locations itself, or none).
    """

    code: str
    level: Level
    title: str
    template: str
    hint: str
    tags: tuple[str, ...] = ()
    subject: str | None = None
    value: str | None = None

    @property
    def slots(self) -> tuple[str, ...]:
        """Slots a finding of this code must fill: the template's, then the subject's and value's."""
        extra = tuple(s for s in (self.subject, self.value) if s and s not in ("value",))
        return tuple(dict.fromkeys(template_slots(self.template) + extra))


@dataclass(frozen=True)
class Finding:
    """One observation about the data, with its location."""

    code: str
    level: Level
    message: str
    hint: str = ""
    source: str | None = None
    line: int | None = None
    document: str | None = None
    column: str | None = None
    value: str | None = None
    subject: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (level as its French word; dates and decimals of ``extra`` as text)."""
        d = asdict(self)
        d["level"] = self.level.value
        if not d["extra"]:
            d.pop("extra")
        else:
            d["extra"] = {k: _json_safe(v) for k, v in d["extra"].items()}
        return d


def _json_safe(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


CATALOGUE: dict[str, CodeSpec] = {}


def register(
    code: str, level: Level | str, title: str, template: str, hint: str, tags: tuple[str, ...] = (), *,
    subject: str | None = None, value: str | None = None,
) -> CodeSpec:
    """Add a code to the catalogue; re-registering a code with another meaning is a bug.

    Raises:
        ValueError: another meaning for a known code.
        SlotError: a placeholder (or the ``subject``/``value`` slot) that is not in :data:`SLOTS`.
    """
    spec = CodeSpec(code, Level(level), title, template, hint, tags, subject, value)
    unknown = [n for n in spec.slots if n not in SLOTS]
    if unknown:
        raise SlotError(f"finding code {code}: unknown slot(s) {unknown}; declare them in econn.findings.SLOTS")
    old = CATALOGUE.get(code)
    if old is not None and old != spec:
        raise ValueError(f"finding code {code} registered twice with different meanings")
    CATALOGUE[code] = spec
    return spec


def make(code: str, level: Level | str | None = None, **where: Any) -> Finding:
    """Build a finding from the catalogue; ``where`` fills the slots and the location.

    Every slot of the code's template must be given, with its type (:data:`SLOTS`); any other argument named
    like a slot is type-checked too. Location keys (``source, line, document, column, value, subject``) go to
    the finding; the code's ``subject``/``value`` slots, when it declares them, fill those two. Other
    arguments are kept in ``extra``; ``hint`` replaces the catalogue's hint.

    Raises:
        KeyError: unknown code.
        SlotError: a slot missing or of the wrong type, or ``subject``/``value`` given besides the slot
            the code takes them from.
    """
    spec = CATALOGUE.get(code)
    if spec is None:
        raise KeyError(f"unknown finding code {code}; add it to econn.findings.CATALOGUE")
    for name in spec.slots:
        if where.get(name) is None:
            raise SlotError(f"{code}: slot {name!r} ({SLOTS[name].label}) is missing")
    for name, v in where.items():
        slot = SLOTS.get(name)
        if slot is not None and v is not None and not slot.accepts(v):
            raise SlotError(f"{code}: slot {name!r} ({slot.label}) takes {'/'.join(t.__name__ for t in slot.types)}, "
                            f"not {type(v).__name__} {v!r}")
    rendered = {n: SLOTS[n].render(where[n]) for n in spec.slots}
    message = spec.template.format_map(rendered)
    hint = where.get("hint") or spec.hint
    loc = {k: where.get(k) for k in LOCATION_KEYS}
    for key, name in (("subject", spec.subject), ("value", spec.value)):
        if name is None or name == key:
            continue
        if where.get(key) is not None:
            raise SlotError(f"{code}: {key} comes from slot {name!r}; do not pass {key}= as well")
        loc[key] = rendered[name]
    if loc["value"] is not None:
        loc["value"] = str(loc["value"])
    if loc["line"] is not None:
        loc["line"] = int(loc["line"])
    extra = {k: v for k, v in where.items() if k not in LOCATION_KEYS and k != "hint"}
    return Finding(code, Level(level) if level else spec.level, message, hint, extra=extra, **loc)


def worst_level(findings: list[Finding]) -> Level | None:
    """The most severe level among findings (None when there are none)."""
    return max((f.level for f in findings), key=lambda lv: lv.rank, default=None)


# ---------------------------------------------------------------------------
# Catalogue seeded from ../shared/domain.md §4. Levels given as "S/A" or "A/E"
# there take the milder one here; checks pass the other level explicitly.
E, A, S = Level.ERREUR, Level.ALERTE, Level.SUCCES

_SEED: list[tuple[str, Level, str, str, str, tuple[str, ...]]] = [
    # Fichier / structure
    ("FIC-ENC", E, "Encodage du fichier", "Encodage non reconnu ou mélangé : {detail}",
     "Ré-exportez le fichier en UTF-8.", ("fichier",)),
    ("FIC-NOM", E, "Nom de fichier illisible", "Nom de fichier illisible : {source} (fichier laissé de côté)",
     "Renommez le fichier avec des lettres, chiffres et tirets ; les autres fichiers sont traités.",
     ("fichier", "sécurité")),
    ("FIC-LIEN", E, "Lien hors du dossier d'import",
     "Le fichier {source} est un lien vers l'extérieur du dossier d'import : fichier laissé de côté",
     "Copiez le fichier lui-même dans le dossier d'import : econn ne suit pas les liens qui en sortent.",
     ("fichier", "sécurité")),
    ("FIC-SEP", A, "Séparateur deviné", "Séparateur « {separator} » et décimale déduits du contenu",
     "Confirmez le format (séparateur, décimale) dans l'aperçu.", ("fichier",)),
    ("FIC-COL", E, "Colonne obligatoire absente", "Colonne obligatoire absente : {column}",
     "Corrigez le modèle d'export pour inclure cette colonne.", ("fichier",)),
    ("FIC-SANSLIGNE", E, "Export de commandes sans lignes",
     "{value} : une ligne par commande, sans les lignes d'articles ; ce fichier ne peut pas être intégré",
     "Exportez les commandes avec leurs lignes d'articles (un export détaillé des commandes, ou le connecteur "
     "en mode webservice, qui lit les commandes par l'API de la boutique) ; ce fichier reste en attente, rien "
     "n'en est intégré.", ("fichier",)),
    ("FIC-DATE", A, "Dates ambiguës", "Format de date mélangé ou ambigu : {value}",
     "Imposez un format de date (jj/mm/aaaa).", ("fichier",)),
    ("FIC-DUPDOC", E, "Document déjà intégré", "Document {document} déjà intégré ou répété dans le fichier",
     "Utilisez « Réimporter une commande » si c'est voulu.", ("fichier", "document")),
    ("FIC-SPLIT", E, "Document réparti sur plusieurs fichiers",
     "Document {document} réparti sur plusieurs fichiers en attente : lignes aussi dans {other_files}",
     "Regroupez les lignes du document dans un seul fichier, ou recevez les fichiers ensemble après correction.",
     ("fichier", "document")),
    ("FIC-PARTIEL", E, "Document déjà intégré en partie",
     "Document {document} déjà intégré depuis {previous_file} avec moins de lignes que ce fichier : {detail}",
     "Regroupez toutes les lignes du document dans un seul fichier, puis utilisez « Réimporter une commande » "
     "depuis ce fichier.", ("fichier", "document")),
    ("FIC-ORPH", E, "Ligne ou entête orpheline", "Ligne {line} orpheline : sans n° de document",
     "Vérifiez que l'entête et les lignes du document sont exportées ensemble.", ("fichier",)),
    ("FIC-OK", S, "Fichier intégrable", "Le fichier {source} est entièrement intégrable",
     "", ("fichier",)),
    ("FIC-REJET", E, "Ligne illisible", "Ligne {line} rejetée : {reason}",
     "Corrigez la ligne dans le fichier (guillemet non fermé, nombre de colonnes…).", ("fichier",)),
    ("FIC-VALEUR", E, "Valeur illisible", "Valeur « {value} » illisible dans la colonne {column}",
     "Corrigez la valeur (nombre avec virgule décimale, date jj/mm/aaaa).", ("fichier",)),
    # Documents
    ("DOC-TOT", A, "Total incohérent", "Total {basis} du document {document} ({declared_total}) ≠ somme des lignes ({lines_total})",
     "Vérifiez les arrondis ou une inversion HT/TTC.", ("document",)),
    ("DOC-HTTTC", E, "HT/TTC incohérents", "HT et TTC incohérents pour {document} : {detail}",
     "Vérifiez les colonnes HT et TTC du fichier (noms parfois inversés).", ("document",)),
    ("DOC-QTE", E, "Quantité invalide", "Quantité invalide « {value} » ligne {line}",
     "Une quantité doit être un nombre strictement positif (sauf avoir).", ("document",)),
    # Correspondances
    ("COR-TVA", E, "TVA sans correspondance", "Libellé de TVA « {value} » sans correspondance",
     "Associez ce libellé à un code TVA de la GC.", ("correspondance",)),
    ("COR-UNI", E, "Unité sans correspondance", "Unité « {value} » sans correspondance",
     "Associez cette unité à une unité de la GC.", ("correspondance",)),
    ("COR-PAYS", E, "Pays sans correspondance", "Pays « {value} » sans correspondance",
     "Associez ce pays à un code pays ISO de la GC.", ("correspondance",)),
    ("COR-REGL", E, "Règlement sans correspondance", "Mode de règlement « {value} » sans correspondance",
     "Associez ce mode de règlement à un mode de la GC.", ("correspondance",)),
    ("COR-ART", E, "Article sans correspondance", "Article « {value} » sans correspondance : document non intégré",
     "Créez l'article en GC ou renseignez sa correspondance.", ("correspondance",)),
    ("COR-CLI-NEW", S, "Tiers à créer", "Le tiers {customer} sera créé",
     "", ("correspondance", "tiers")),
    ("COR-CLI-HOMO", A, "Homonyme", "Homonyme trouvé pour {customer}",
     "Choisissez « créer un nouveau client » ou « affecter un client existant ».", ("correspondance", "tiers")),
    ("COR-CLI-DEF", A, "Client par défaut",
     "Client inconnu {customer} : commande affectée au client par défaut {client}",
     "La réception des tiers du connecteur est « Non concerné » : aucun client n'est créé. Créez le client en GC "
     "(ou sa correspondance) si la commande doit être à son nom.", ("correspondance", "tiers")),
    ("COR-CLI-ABS", E, "Client inconnu non créé",
     "Client inconnu {customer} : la réception des tiers du connecteur est « Non concerné »",
     "Créez le client en GC (ou sa correspondance), indiquez un client par défaut au connecteur, ou passez sa "
     "réception des tiers à « Clients avec commande ».", ("correspondance", "tiers")),
    ("COR-STALE", A, "Correspondance obsolète", "La correspondance {mapping} pointe vers {gc_value}, {detail} dans la GC",
     "Mettez à jour la correspondance vers une valeur active.", ("correspondance",)),
    ("COR-REF", A, "Valeur hors référentiel", "Valeur « {value} » absente des listes de référence ({column})",
     "Créez la valeur dans la cible ou associez-la.", ("correspondance",)),
    # Produits absents
    ("ART-ABS-GC", E, "Article absent de la GC", "Article commandé « {article_ref} » inconnu de la GC",
     "Créez ou associez l'article.", ("articles",)),
    ("ART-ABS-SITE", A, "Article jamais envoyé", "Article {article} exportable sans code externe",
     "Envoyez l'article ou renseignez sa correspondance.", ("articles",)),
    ("ART-REF-VIDE", E, "Référence vide", "Produit ou déclinaison sans référence",
     "Renseignez la référence du produit sur le site.", ("articles",)),
    ("ART-REF-DUP", E, "Référence en double", "Référence « {article_ref} » utilisée plusieurs fois",
     "Donnez une référence unique à chaque produit/déclinaison.", ("articles",)),
    ("ART-NEAR", A, "Référence approchante", "« {article_ref} » ne correspond à {article} qu'après normalisation",
     "Corrigez la référence plutôt que de créer un alias.", ("articles",)),
    ("ART-INACTIF", A, "Article en sommeil", "L'article {article} est en sommeil ou non vendable",
     "Réactivez l'article ou changez la correspondance.", ("articles",)),
    # TVA
    ("TVA-TAUX", E, "Taux incohérents", "Taux incohérents pour {item} : {detail}",
     "Alignez le code TVA de la GC et le libellé du site.", ("tva",)),
    ("TVA-CONFLIT", E, "Conflit de TVA", "« {vat_label} » est associé à plusieurs codes TVA : {detail}",
     "Désactivez une des règles.", ("tva",)),
    ("TVA-INCONNU", A, "Taux inconnu", "Taux {rate} % inconnu pour le pays {country} au {date} ({detail})",
     "Vérifiez le taux et la table des taux datés.", ("tva",)),
    ("TVA-B2C-UE", A, "Vente B2C UE", "Vente {document} à un particulier de l'UE ({country}) au taux de {rate} %",
     "Confirmez le statut OSS : réglage tva.oss (Paramétrage > Réglages, ou econn settings set tva.oss oui).",
     ("tva",)),
    ("TVA-B2B-UE", A, "Vente B2B UE", "Vente intracommunautaire {document} : {detail}",
     "Livraison intracommunautaire exonérée (CGI art. 262 ter I), autoliquidation par l'acheteur.", ("tva",)),
    ("TVA-EXPORT", A, "Export hors UE", "Export hors UE, document {document} : {detail}",
     "Exonération à l'export (CGI art. 262 I) : utilisez un code TVA export.", ("tva",)),
    ("TVA-NUM", E, "Numéro de TVA invalide", "Numéro de TVA « {vat_number} » invalide : {detail}",
     "Corrigez le numéro (préfixe EL pour la Grèce).", ("tva",)),
    ("TVA-PORT", A, "TVA du port", "Taux de TVA du port ({rate} %) incohérent avec les marchandises du document {document}",
     "Appliquez au port le taux des marchandises.", ("tva",)),
    ("TVA-TERR", A, "Territoire à taux spécifique", "Code postal {postcode} facturé au taux métropolitain",
     "DOM : 8,5 % / 2,1 % ; Corse : 13 / 10 / 2,1 / 0,9 %.", ("tva",)),
    # Doublons simples
    ("CLI-DUP-EMAIL", E, "Doublon e-mail", "E-mail « {value} » porté par plusieurs tiers : {detail}",
     "Fusionnez les fiches ou corrigez l'e-mail.", ("doublons",)),
    ("CLI-DUP-TEL", E, "Doublon téléphone", "Téléphone {value} porté par plusieurs tiers : {detail}",
     "Fusionnez les fiches ou corrigez le numéro.", ("doublons",)),
    ("CLI-DUP-SIRET", E, "Doublon SIRET", "SIRET/SIREN {value} porté par plusieurs tiers : {detail}",
     "Deux établissements d'une société ne sont pas des doublons ; même SIRET, fusionnez.", ("doublons",)),
    ("CLI-DUP-CODEEXT", E, "Code externe en double", "Code externe {value} lié à plusieurs tiers GC : {detail}",
     "Gardez une seule correspondance pour ce code externe.", ("doublons",)),
    ("CLI-DUP-NOMCP", A, "Doublon nom + code postal", "Même nom et code postal : {detail}",
     "Vérifiez s'il s'agit du même client.", ("doublons",)),
    ("CLI-SHARED", E, "Coordonnée partagée", "{kind} « {value} » partagé par {relation} : {detail}",
     "Complétez la fiche principale, réaffectez les documents, supprimez le doublon ou faites-en un contact.",
     ("doublons",)),
    ("CLI-INVALID", A, "Coordonnée invalide", "{column} invalide : « {value} »",
     "Corrigez la valeur sur la fiche du tiers.", ("doublons",)),
    ("CLI-FUZZ", A, "Doublon probable", "Doublon probable (score {score}) : {detail}",
     "Comparez les fiches et acceptez ou refusez la fusion proposée.", ("doublons",)),
    ("CLI-HOMO", S, "Homonyme", "Homonymes distincts : {detail}",
     "Pas un doublon : les coordonnées diffèrent.", ("doublons",)),
    # Grilles de prix
    ("PRIX-ORPH-ART", E, "Règle orpheline (article)", "Règle {rule} sur l'article absent ou inactif {article}",
     "Supprimez la règle ou réactivez l'article.", ("grilles",)),
    ("PRIX-ORPH-CLI", E, "Règle orpheline (client)", "Règle {rule} sur le client absent ou inactif {client}",
     "Supprimez la règle ou réactivez le client.", ("grilles",)),
    ("PRIX-ORPH-GRP", E, "Règle orpheline (catégorie)", "Règle {rule} sur la catégorie inconnue {category}",
     "Supprimez la règle ou créez la catégorie.", ("grilles",)),
    ("PRIX-DUP", E, "Règle en double", "Règle {rule} sur {article} identique à {kept_rule}, conservée (la plus récente)",
     "Supprimez le doublon (nettoyage des grilles).", ("grilles",)),
    ("PRIX-CONFLIT", A, "Règles en conflit", "Règle {rule} ({terms}) en conflit sur {article} avec {other_rules}",
     "Gardez une seule règle par clé.", ("grilles",)),
    ("PRIX-CHEV", A, "Périodes qui se chevauchent", "Règle {rule} sur {article} : période commune avec {other_rules}",
     "Ajustez les dates de validité.", ("grilles",)),
    ("PRIX-DATES", E, "Dates inversées", "Règle {rule} : début {start_date} après la fin {end_date}",
     "Corrigez les dates de la règle.", ("grilles",)),
    ("PRIX-EXPIRE", A, "Règle expirée", "Règle {rule} expirée depuis le {end_date}",
     "Supprimez-la avec le nettoyage des grilles.", ("grilles",)),
    ("PRIX-NEG", E, "Prix négatif", "Règle {rule} : prix négatif {price}",
     "Corrigez le prix (−1 seul est une valeur spéciale).", ("grilles",)),
    ("PRIX-ZERO", A, "Prix nul", "Règle {rule} : prix net à 0",
     "Vérifiez le prix.", ("grilles",)),
    ("PRIX-REM", E, "Remise hors limites", "Règle {rule} : remise {discount} % hors limites",
     "Une remise doit être comprise entre 0 et 100 %.", ("grilles",)),
    ("PRIX-COUT", A, "Prix sous le coût", "Règle {rule} : prix {price} sous le prix d'achat {cost} ({article})",
     "Vérifiez le prix ou le prix d'achat.", ("grilles",)),
    ("PRIX-PALIER", A, "Paliers incohérents", "Paliers de la règle {rule} incohérents : {detail}",
     "Le prix doit baisser quand la quantité augmente.", ("grilles",)),
    ("PRIX-BASE", E, "Article sans prix de base", "Article {article} sans prix de base",
     "Renseignez le prix HT de l'article.", ("grilles",)),
    ("PRIX-HTTTC", A, "Prix TTC incohérent", "Règle {rule} : TTC {price} ≠ HT × (1 + taux)",
     "Vérifiez le prix TTC ou le taux.", ("grilles",)),
    ("PRIX-CODES", A, "Code non standard", "Règle {rule} : code {value} non standard ({column})",
     "Utilisez les codes ISO (devise ISO 4217, pays ISO-2).", ("grilles",)),
    # Sécurité
    ("SEC-SEUIL", E, "Mode de sécurité", "Opération bloquée : {detail}",
     "Levez le mode de sécurité avec une justification écrite si l'opération est voulue, ou changez le seuil "
     "(réglage securite.<opération>.seuil, Paramétrage > Réglages).", ("securite",)),
    # Reception
    ("REC-ECHEC", E, "Échec d'intégration", "Le document {document} n'a pas pu être intégré : {detail}",
     "Corrigez la cause indiquée puis relancez la réception : les autres documents sont intégrés.",
     ("reception", "document")),
    # Envoi
    ("ENV-ENC", A, "Caractère non représentable",
     "{column} de {record} : « {characters} » absent de l'encodage {encoding}, écrit « {written} »",
     "Choisissez l'encodage UTF-8 pour ce connecteur si le site l'accepte.", ("envoi",)),
    ("ENV-PRIX", A, "Article sans prix",
     "Article {article} envoyé sans prix (ni tarif {category} ni prix HT sur la fiche)",
     "Renseignez le prix HT de l'article ou sa règle tarifaire.", ("envoi", "article")),
    ("ENV-FORMULE", A, "Valeur neutralisée",
     "{column} de {record} commence comme une formule de tableur : écrit « {written} »",
     "Vérifiez la fiche dans la GC : la valeur vient peut-être d'une saisie malveillante.",
     ("envoi", "sécurité")),
]

# Which slot fills a finding's « Sujet » and « Valeur » columns (codes not listed get them from the check).
_LOCATION: dict[str, tuple[str | None, str | None]] = {
    "FIC-ENC": (None, "detail"), "FIC-SEP": (None, "separator"), "FIC-SPLIT": (None, "other_files"), "FIC-SANSLIGNE": (None, "value"),
    "FIC-PARTIEL": ("previous_file", None), "FIC-REJET": (None, "reason"), "DOC-HTTTC": (None, "detail"),
    "COR-CLI-NEW": (None, "customer"), "COR-CLI-DEF": ("client", "customer"), "COR-CLI-ABS": (None, "customer"), "COR-CLI-HOMO": (None, "customer"), "COR-STALE": ("gc_value", "mapping"),
    "ART-ABS-GC": (None, "article_ref"), "ART-ABS-SITE": ("article", "article"), "ART-REF-DUP": (None, "article_ref"),
    "ART-NEAR": ("article", "article_ref"), "ART-INACTIF": ("article", None),
    "TVA-CONFLIT": ("vat_label", "vat_label"), "TVA-INCONNU": (None, "rate"), "TVA-B2C-UE": ("document", "rate"),
    "TVA-B2B-UE": ("document", None), "TVA-EXPORT": ("document", None), "TVA-NUM": (None, "vat_number"),
    "TVA-PORT": ("document", "rate"), "TVA-TERR": ("document", "postcode"),
    "PRIX-ORPH-ART": ("rule", "article"), "PRIX-ORPH-CLI": ("rule", "client"), "PRIX-ORPH-GRP": ("rule", "category"),
    "PRIX-DUP": ("rule", "article"), "PRIX-CONFLIT": ("rule", "terms"), "PRIX-CHEV": ("rule", "article"),
    "PRIX-DATES": ("rule", "start_date"), "PRIX-EXPIRE": ("rule", "end_date"), "PRIX-NEG": ("rule", "price"),
    "PRIX-ZERO": ("rule", "price"), "PRIX-REM": ("rule", "discount"), "PRIX-COUT": ("rule", "price"),
    "PRIX-PALIER": ("rule", "article"), "PRIX-BASE": ("article", "article"), "PRIX-HTTTC": ("rule", "price"),
    "PRIX-CODES": ("rule", None), "SEC-SEUIL": ("operation", "affected"), "ENV-ENC": ("record", None),
    "ENV-PRIX": ("article", None), "ENV-FORMULE": ("record", None),
}

for _c, _lv, _t, _tpl, _h, _tags in _SEED:
    _subject, _value = _LOCATION.get(_c, (None, None))
    register(_c, _lv, _t, _tpl, _h, _tags, subject=_subject, value=_value)
