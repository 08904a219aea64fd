"""Findings: the data every check emits, and the one catalogue of their codes.

A finding is a frozen record: a stable ``code`` (``TVA-TAUX``), a ``level``
(succès / alerte / erreur), a French message rendered from the catalogue's
template, a resolution hint, and where it was seen (file, line, document,
column, value, subject). Codes come from ../shared/domain.md §4 and the flows added since;
every code is declared here, so that one table lists them all (docs/findings.md is generated from it).
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Level(str, enum.Enum):
    """ERO levels: green done, orange non-blocking anomaly, red (usually) blocking."""

    SUCCES = "succès"
    ALERTE = "alerte"
    ERREUR = "erreur"

    @property
    def rank(self) -> int:
        return {"succès": 0, "alerte": 1, "erreur": 2}[self.value]


@dataclass(frozen=True)
class CodeSpec:
    """Catalogue entry: what a code means and how it is worded."""

    code: str
    level: Level
    title: str
    template: str
    hint: str
    tags: tuple[str, ...] = ()


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
        """JSON-ready dict (level as its French word)."""
        d = asdict(self)
        d["level"] = self.level.value
        if not d["extra"]:
            d.pop("extra")
        return d


CATALOGUE: dict[str, CodeSpec] = {}


def register(
    code: str, level: Level | str, title: str, template: str, hint: str, tags: tuple[str, ...] = ()
) -> CodeSpec:
    """Add a code to the catalogue; re-registering a code with another meaning is a bug."""
    spec = CodeSpec(code, Level(level), title, template, hint, tags)
    old = CATALOGUE.get(code)
    if old is not None and old != spec:
        raise ValueError(f"finding code {code} registered twice with different meanings")
    CATALOGUE[code] = spec
    return spec


def make(code: str, level: Level | str | None = None, **where: Any) -> Finding:
    """Build a finding from the catalogue; ``where`` fills the template and the location.

    Location keys (``source, line, document, column, value, subject``) go to the
    finding; every key is available to the message template.
    """
    spec = CATALOGUE.get(code)
    if spec is None:
        raise KeyError(f"unknown finding code {code}; add it to econn.findings.CATALOGUE")
    loc_keys = ("source", "line", "document", "column", "value", "subject")
    loc = {k: where.get(k) for k in loc_keys}
    fmt = _SafeDict({k: ("" if v is None else v) for k, v in where.items()})
    message = spec.template.format_map(fmt)
    hint = where.get("hint") or spec.hint.format_map(fmt)
    extra = {k: v for k, v in where.items() if k not in loc_keys and k != "hint"}
    if loc["value"] is not None:
        loc["value"] = str(loc["value"])
    return Finding(code, Level(level) if level else spec.level, message, hint, extra=extra, **loc)


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def worst_level(findings: list[Finding]) -> Level | None:
    """The most severe level among findings (None when there are none)."""
    return max((f.level for f in findings), key=lambda lv: lv.rank, default=None)


# ---------------------------------------------------------------------------
# Catalogue seeded from ../shared/domain.md §4. Levels given as "S/A" or "A/E"
# there take the milder one here; checks pass the other level explicitly.
E, A, S = Level.ERREUR, Level.ALERTE, Level.SUCCES

_SEED: list[tuple[str, Level, str, str, str, tuple[str, ...]]] = [
    # Fichier / structure
    ("FIC-ENC", E, "Encodage du fichier", "Encodage non reconnu ou mélangé : {value}",
     "Ré-exportez le fichier en UTF-8.", ("fichier",)),
    ("FIC-NOM", E, "Nom de fichier illisible", "Nom de fichier illisible : {value} (fichier laissé de côté)",
     "Renommez le fichier avec des lettres, chiffres et tirets ; les autres fichiers sont traités.",
     ("fichier", "sécurité")),
    ("FIC-LIEN", E, "Lien hors du dossier d'import",
     "Le fichier {value} est un lien vers l'extérieur du dossier d'import : fichier laissé de côté",
     "Copiez le fichier lui-même dans le dossier d'import : econn ne suit pas les liens qui en sortent.",
     ("fichier", "sécurité")),
    ("FIC-SEP", A, "Séparateur deviné", "Séparateur « {value} » et décimale déduits du contenu",
     "Confirmez le format (séparateur, décimale) dans l'aperçu.", ("fichier",)),
    ("FIC-COL", E, "Colonne obligatoire absente", "Colonne obligatoire absente : {column}",
     "Corrigez le modèle d'export pour inclure cette colonne.", ("fichier",)),
    ("FIC-DATE", A, "Dates ambiguës", "Format de date mélangé ou ambigu : {value}",
     "Imposez un format de date (jj/mm/aaaa).", ("fichier",)),
    ("FIC-DUPDOC", E, "Document déjà intégré", "Document {document} déjà intégré ou répété dans le fichier",
     "Utilisez « Réimporter une commande » si c'est voulu.", ("fichier", "document")),
    ("FIC-SPLIT", E, "Document réparti sur plusieurs fichiers",
     "Document {document} réparti sur plusieurs fichiers en attente : lignes aussi dans {value}",
     "Regroupez les lignes du document dans un seul fichier, ou recevez les fichiers ensemble après correction.",
     ("fichier", "document")),
    ("FIC-PARTIEL", E, "Document déjà intégré en partie",
     "Document {document} déjà intégré depuis {subject} avec moins de lignes que ce fichier : {detail}",
     "Regroupez toutes les lignes du document dans un seul fichier, puis utilisez « Réimporter une commande » "
     "depuis ce fichier.", ("fichier", "document")),
    ("FIC-ORPH", E, "Ligne ou entête orpheline", "Lignes sans entête ou entête sans lignes : {document}",
     "Vérifiez que l'entête et les lignes du document sont exportées ensemble.", ("fichier",)),
    ("FIC-OK", S, "Fichier intégrable", "Le fichier {source} est entièrement intégrable",
     "", ("fichier",)),
    ("FIC-REJET", E, "Ligne illisible", "Ligne {line} rejetée : {value}",
     "Corrigez la ligne dans le fichier (guillemet non fermé, nombre de colonnes…).", ("fichier",)),
    ("FIC-VALEUR", E, "Valeur illisible", "Valeur « {value} » illisible dans la colonne {column}",
     "Corrigez la valeur (nombre avec virgule décimale, date jj/mm/aaaa).", ("fichier",)),
    # Documents
    ("DOC-TOT", A, "Total incohérent", "Total du document {document} ({expected}) ≠ somme des lignes ({actual})",
     "Vérifiez les arrondis ou une inversion HT/TTC.", ("document",)),
    ("DOC-HTTTC", E, "HT/TTC incohérents", "HT et TTC incohérents pour {document} : {value}",
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
    ("COR-CLI-NEW", S, "Tiers à créer", "Le tiers {value} sera créé",
     "", ("correspondance", "tiers")),
    ("COR-CLI-HOMO", A, "Homonyme", "Homonyme trouvé pour {value}",
     "Choisissez « créer un nouveau client » ou « affecter un client existant ».", ("correspondance", "tiers")),
    ("COR-CLI-DEF", A, "Client par défaut",
     "Client inconnu {value} : commande affectée au client par défaut {subject}",
     "La réception des tiers du connecteur est « Non concerné » : aucun client n'est créé. Créez le client en GC "
     "(ou sa correspondance) si la commande doit être à son nom.", ("correspondance", "tiers")),
    ("COR-CLI-ABS", E, "Client inconnu non créé",
     "Client inconnu {value} : la réception des tiers du connecteur {subject} est « Non concerné »",
     "Créez le client en GC (ou sa correspondance), indiquez un client par défaut au connecteur, ou passez sa "
     "réception des tiers à « Clients avec commande ».", ("correspondance", "tiers")),
    ("COR-STALE", A, "Correspondance obsolète", "La correspondance {value} pointe vers {subject}, supprimé ou en sommeil",
     "Mettez à jour la correspondance vers une valeur active.", ("correspondance",)),
    ("COR-REF", A, "Valeur hors référentiel", "Valeur « {value} » absente des listes de référence ({column})",
     "Créez la valeur dans la cible ou associez-la.", ("correspondance",)),
    # Produits absents
    ("ART-ABS-GC", E, "Article absent de la GC", "Article commandé « {value} » inconnu de la GC",
     "Créez ou associez l'article.", ("articles",)),
    ("ART-ABS-SITE", A, "Article jamais envoyé", "Article {subject} exportable sans code externe",
     "Envoyez l'article ou renseignez sa correspondance.", ("articles",)),
    ("ART-REF-VIDE", E, "Référence vide", "Produit ou déclinaison sans référence",
     "Renseignez la référence du produit sur le site.", ("articles",)),
    ("ART-REF-DUP", E, "Référence en double", "Référence « {value} » utilisée plusieurs fois",
     "Donnez une référence unique à chaque produit/déclinaison.", ("articles",)),
    ("ART-NEAR", A, "Référence approchante", "« {value} » ne correspond à {subject} qu'après normalisation",
     "Corrigez la référence plutôt que de créer un alias.", ("articles",)),
    ("ART-INACTIF", A, "Article en sommeil", "L'article {subject} est en sommeil ou non vendable",
     "Réactivez l'article ou changez la correspondance.", ("articles",)),
    # TVA
    ("TVA-TAUX", E, "Taux incohérents", "Taux incohérents pour {value} : {detail}",
     "Alignez le code TVA de la GC et le libellé du site.", ("tva",)),
    ("TVA-CONFLIT", E, "Conflit de TVA", "« {value} » est associé à plusieurs codes TVA : {detail}",
     "Désactivez une des règles.", ("tva",)),
    ("TVA-INCONNU", A, "Taux inconnu", "Taux {value} inconnu pour le pays {subject}",
     "Vérifiez le taux et la table des taux datés.", ("tva",)),
    ("TVA-B2C-UE", A, "Vente B2C UE", "Vente à un particulier de l'UE ({subject}) au taux {value}",
     "Confirmez le statut OSS : réglage tva.oss (Paramétrage > Réglages, ou econn settings set tva.oss oui).",
     ("tva",)),
    ("TVA-B2B-UE", A, "Vente B2B UE", "Vente intracommunautaire {subject} : {detail}",
     "Livraison intracommunautaire exonérée (CGI art. 262 ter I), autoliquidation par l'acheteur.", ("tva",)),
    ("TVA-EXPORT", A, "Export hors UE", "Export hors UE ({subject}) : {detail}",
     "Exonération à l'export (CGI art. 262 I) : utilisez un code TVA export.", ("tva",)),
    ("TVA-NUM", E, "Numéro de TVA invalide", "Numéro de TVA « {value} » invalide : {detail}",
     "Corrigez le numéro (préfixe EL pour la Grèce).", ("tva",)),
    ("TVA-PORT", A, "TVA du port", "Taux de TVA du port ({value}) incohérent avec les marchandises",
     "Appliquez au port le taux des marchandises.", ("tva",)),
    ("TVA-TERR", A, "Territoire à taux spécifique", "Code postal {value} facturé au taux métropolitain",
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
    ("CLI-SHARED", E, "Coordonnée partagée", "{value} partagé par des tiers sans lien : {detail}",
     "Complétez la fiche principale, réaffectez les documents, supprimez le doublon ou faites-en un contact.",
     ("doublons",)),
    ("CLI-INVALID", A, "Coordonnée invalide", "{column} invalide : « {value} »",
     "Corrigez la valeur sur la fiche du tiers.", ("doublons",)),
    ("CLI-FUZZ", A, "Doublon probable", "Doublon probable (score {score}) : {detail}",
     "Comparez les fiches et acceptez ou refusez la fusion proposée.", ("doublons",)),
    ("CLI-HOMO", S, "Homonyme", "Homonymes distincts : {detail}",
     "Pas un doublon : les coordonnées diffèrent.", ("doublons",)),
    # Grilles de prix
    ("PRIX-ORPH-ART", E, "Règle orpheline (article)", "Règle {subject} sur l'article absent ou inactif {value}",
     "Supprimez la règle ou réactivez l'article.", ("grilles",)),
    ("PRIX-ORPH-CLI", E, "Règle orpheline (client)", "Règle {subject} sur le client absent ou inactif {value}",
     "Supprimez la règle ou réactivez le client.", ("grilles",)),
    ("PRIX-ORPH-GRP", E, "Règle orpheline (catégorie)", "Règle {subject} sur la catégorie inconnue {value}",
     "Supprimez la règle ou créez la catégorie.", ("grilles",)),
    ("PRIX-DUP", E, "Règle en double", "Règle {subject} identique à {detail}",
     "Supprimez le doublon (nettoyage des grilles).", ("grilles",)),
    ("PRIX-CONFLIT", A, "Règles en conflit", "Règles {subject} en conflit : {detail}",
     "Gardez une seule règle par clé.", ("grilles",)),
    ("PRIX-CHEV", A, "Périodes qui se chevauchent", "Règles {subject} aux périodes qui se chevauchent : {detail}",
     "Ajustez les dates de validité.", ("grilles",)),
    ("PRIX-DATES", E, "Dates inversées", "Règle {subject} : début {value} après la fin",
     "Corrigez les dates de la règle.", ("grilles",)),
    ("PRIX-EXPIRE", A, "Règle expirée", "Règle {subject} expirée depuis le {value}",
     "Supprimez-la avec le nettoyage des grilles.", ("grilles",)),
    ("PRIX-NEG", E, "Prix négatif", "Règle {subject} : prix négatif {value}",
     "Corrigez le prix (−1 seul est une valeur spéciale).", ("grilles",)),
    ("PRIX-ZERO", A, "Prix nul", "Règle {subject} : prix net à 0",
     "Vérifiez le prix.", ("grilles",)),
    ("PRIX-REM", E, "Remise hors limites", "Règle {subject} : remise {value} % hors limites",
     "Une remise doit être comprise entre 0 et 100 %.", ("grilles",)),
    ("PRIX-COUT", A, "Prix sous le coût", "Règle {subject} : prix {value} sous le prix d'achat {detail}",
     "Vérifiez le prix ou le prix d'achat.", ("grilles",)),
    ("PRIX-PALIER", A, "Paliers incohérents", "Paliers de {subject} incohérents : {detail}",
     "Le prix doit baisser quand la quantité augmente.", ("grilles",)),
    ("PRIX-BASE", E, "Article sans prix de base", "Article {subject} sans prix de base",
     "Renseignez le prix HT de l'article.", ("grilles",)),
    ("PRIX-HTTTC", A, "Prix TTC incohérent", "Règle {subject} : TTC {value} ≠ HT × (1 + taux)",
     "Vérifiez le prix TTC ou le taux.", ("grilles",)),
    ("PRIX-CODES", A, "Code non standard", "Règle {subject} : code {value} non standard ({column})",
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
     "{column} de {subject} : « {characters} » absent de l'encodage {encoding}, écrit « {written} »",
     "Choisissez l'encodage UTF-8 pour ce connecteur si le site l'accepte.", ("envoi",)),
    ("ENV-PRIX", A, "Article sans prix",
     "Article {subject} envoyé sans prix (ni tarif {category} ni prix HT sur la fiche)",
     "Renseignez le prix HT de l'article ou sa règle tarifaire.", ("envoi", "article")),
    ("ENV-FORMULE", A, "Valeur neutralisée",
     "{column} de {subject} commence comme une formule de tableur : écrit « {written} »",
     "Vérifiez la fiche dans la GC : la valeur vient peut-être d'une saisie malveillante.",
     ("envoi", "sécurité")),
]

for _c, _lv, _t, _tpl, _h, _tags in _SEED:
    register(_c, _lv, _t, _tpl, _h, _tags)
