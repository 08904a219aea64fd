"""Map a file's column headers to the canonical fields of a flow (documents, tiers, articles).

Order of trust: a mapping the user chose for this connector (``memorise``), the mapping of the file's
recognised export format (``format``, :mod:`econn.reading.formats`: it also leaves the headers it knows
unmapped when they are not importable, e.g. WooCommerce's « Order Subtotal Amount »), the canonical
name itself (``exact``), a known French/English variant (``synonyme``), a close spelling
(``approchant``, rapidfuzz ratio ≥ ``FUZZY_CUTOFF`` on normalised text), else ``aucun``.
Headers are normalised first (case, accents, punctuation, ``N°``/``No``/``Num`` → ``num``).
A field is given to one header only: the best score wins, ties go to the first header.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from .formats import SourceFormat

FLOWS = ("documents", "tiers", "articles")
FUZZY_CUTOFF = 85.0
_ORIGIN_RANK = {"memorise": 5, "format": 4, "exact": 3, "synonyme": 2, "approchant": 1, "aucun": 0}

_ADDRESS = {
    "societe": ["Société", "Raison sociale", "Entreprise", "Company", "Billing Company"],
    "civilite": ["Civilité", "Titre", "Title", "Salutation", "Gender"],
    "nom": ["Nom", "Nom de famille", "Last name", "Lastname", "Surname", "Billing Last Name"],
    "prenom": ["Prénom", "First name", "Firstname", "Billing First Name"],
    "email": ["E-mail", "Email", "Courriel", "Mail", "Adresse e-mail", "Billing Email", "Customer Email"],
    "telephone": ["Téléphone", "Tél", "Tel", "Téléphone fixe", "Phone", "Billing Phone", "Telephone"],
    "mobile": ["Mobile", "Portable", "Tél portable", "Téléphone mobile", "Cell", "Mobile phone"],
    "adresse1": ["Adresse 1", "Adresse", "Adresse ligne 1", "Rue", "Address 1", "Address", "Billing Address1",
                 "Billing Address 1", "Street"],
    "adresse2": ["Adresse 2", "Complément d'adresse", "Adresse ligne 2", "Address 2", "Billing Address2",
                 "Billing Address 2"],
    "code_postal": ["Code postal", "CP", "Zip", "Zip code", "Postcode", "Postal code", "Billing Zip",
                    "Billing Postcode"],
    "ville": ["Ville", "Commune", "City", "Town", "Billing City"],
    "pays": ["Pays", "Code pays", "Country", "Country code", "Billing Country"],
}
_SHIPPING = {
    "liv_societe": ["Société livraison", "Shipping Company"],
    "liv_nom": ["Nom livraison", "Shipping Name", "Shipping Last Name"],
    "liv_prenom": ["Prénom livraison", "Shipping First Name"],
    "liv_adresse1": ["Adresse livraison", "Adresse 1 livraison", "Shipping Address1", "Shipping Address 1"],
    "liv_adresse2": ["Adresse 2 livraison", "Shipping Address2", "Shipping Address 2"],
    "liv_code_postal": ["Code postal livraison", "CP livraison", "Shipping Zip", "Shipping Postcode"],
    "liv_ville": ["Ville livraison", "Shipping City"],
    "liv_pays": ["Pays livraison", "Shipping Country"],
    "liv_telephone": ["Téléphone livraison", "Shipping Phone"],
    # A full name (« Sophie GALLAS ») in one column: split into prénom / nom by the reception.
    "liv_nom_complet": ["Nom complet livraison"],
}

SYNONYMS: dict[str, dict[str, list[str]]] = {
    "documents": {
        "doc_ext_id": ["N° commande", "Numéro de commande", "Num commande", "No commande", "Commande",
                       "Référence commande", "N° document", "N° pièce", "Order ID", "Order Number", "Order No",
                       "Order", "Name", "Order #"],
        "date": ["Date", "Date commande", "Date de commande", "Date document", "Date pièce", "Order Date",
                 "Created at", "Date created"],
        "client_ext_id": ["Code client", "N° client", "Client", "Identifiant client", "Customer ID", "Customer",
                          "Customer User", "Customer Number"],
        **_ADDRESS,
        "nom_complet": ["Nom complet", "Full name", "Billing Name", "Bill-to Name"],
        **_SHIPPING,
        "reglement": ["Mode de règlement", "Règlement", "Mode de paiement", "Paiement", "Moyen de paiement",
                      "Payment", "Payment Method", "Payment Method Title", "Gateway"],
        "sku": ["Référence article", "Référence", "Réf article", "Réf", "Code article", "SKU", "Lineitem sku",
                "Product SKU", "Item SKU", "ART_CODE"],
        "declinaison": ["Déclinaison", "Variante", "Gamme", "Variant", "Lineitem variant", "Variation",
                        "ART_GAMME"],
        "libelle": ["Désignation", "Libellé", "Libellé article", "Description", "Produit", "Lineitem name",
                    "Item Name", "Product Name", "Product"],
        "qte": ["Quantité", "Qté", "Qte", "Qty", "Quantity", "Lineitem quantity", "Item Quantity", "LIG_QTE"],
        "unite": ["Unité", "Unité de vente", "Unit", "UOM"],
        "pu_ht": ["PU HT", "Prix unitaire HT", "Prix HT", "P.U. HT", "Unit price excl tax", "Item Cost",
                  "LIG_P_BRUT"],
        "pu_ttc": ["PU TTC", "Prix unitaire TTC", "Prix TTC", "Unit price incl tax", "Lineitem price"],
        "remise_pct": ["Remise %", "Remise", "% remise", "Taux de remise", "Discount %", "Discount percent",
                       "LIG_REMISE"],
        "tva_label": ["TVA", "Libellé TVA", "Code TVA", "Taxe", "Tax", "Tax Name", "Tax 1 Name", "Tax Label",
                      "Tax Class", "NAT_TVATX"],
        "tva_taux": ["Taux TVA", "Taux de TVA", "Tax Rate", "VAT rate"],
        "port_ht": ["Frais de port HT", "Port HT", "Frais de port", "Port", "Shipping", "Shipping cost",
                    "Order Shipping Amount", "Shipping Amount"],
        "port_ttc": ["Frais de port TTC", "Port TTC", "Shipping incl tax"],
        # Lines after an order discount, before shipping (Shopify's « Subtotal », TTC or HT as the shop).
        "sous_total": [],
        "remise_ttc": ["Remise TTC", "Montant remise TTC", "Discount incl tax"],
        "remise_ht": ["Remise HT", "Montant remise HT", "Discount excl tax"],
        "transporteur": ["Transporteur", "Mode de livraison", "Mode d'expédition", "Shipping Method", "Carrier"],
        # Not « Order Subtotal Amount » (WooCommerce): lines before discount, without shipping.
        "total_ht": ["Total HT", "Montant HT", "Sous-total HT", "Total excl tax"],
        "total_tva": ["Total TVA", "Montant TVA", "Taxes", "Order Total Tax Amount", "Tax Amount"],
        "total_ttc": ["Total TTC", "Montant TTC", "Total", "Order Total Amount", "Order Total", "Total incl tax",
                      "Grand Total"],
        "devise": ["Devise", "Currency"],
        "statut": ["Statut", "État", "Status", "Financial Status", "Order Status"],
    },
    "tiers": {
        "code_gc": ["Code", "Code client", "Code tiers", "N° client", "Numéro client", "Compte"],
        "code_ext": ["Code externe", "Identifiant externe", "ID site", "Customer ID", "ID"],
        **_ADDRESS,
        "siret": ["SIRET", "N° SIRET", "SIREN"],
        "tva_intra": ["N° TVA", "TVA intracommunautaire", "N° TVA intracom", "VAT number", "VAT"],
        "famille": ["Famille", "Famille client", "Groupe", "Group", "Customer group"],
        "categorie_tarifaire": ["Catégorie tarifaire", "Cat. tarifaire", "Tarif", "Price list"],
        "reglement": ["Mode de règlement", "Règlement", "Condition de règlement", "Payment terms"],
        "actif": ["Actif", "Sommeil", "Active", "Enabled"],
    },
    "articles": {
        "code_gc": ["Code", "Code article", "Référence", "Réf", "Référence article", "ART_CODE"],
        "code_ext": ["Code externe", "Référence site", "SKU", "Variant SKU", "Product ID", "ID"],
        "declinaison": ["Déclinaison", "Code déclinaison", "Gamme", "Variant"],
        "libelle": ["Désignation", "Libellé", "Description", "Nom", "Name", "Title", "Product Name"],
        "ean": ["EAN", "EAN13", "Code barre", "Code-barres", "GTIN", "Barcode", "Variant Barcode"],
        "famille": ["Famille", "Famille article", "Catégorie", "Category", "Product Type", "Type"],
        "unite": ["Unité", "Unité de vente", "Unit", "UOM"],
        "code_tva": ["Code TVA", "TVA", "Taxe", "Tax class", "Tax"],
        "prix_ht": ["Prix HT", "PU HT", "Prix de vente HT", "Prix unitaire HT", "Price", "Regular price",
                    "Variant Price"],
        "prix_ttc": ["Prix TTC", "Prix de vente TTC", "PV TTC", "Price incl tax"],
        "prix_achat": ["Prix d'achat", "PA", "PA HT", "Prix de revient", "PR", "Cost", "Cost per item"],
        "actif": ["Actif", "Sommeil", "Active", "Published", "Status"],
        "export": ["Export", "Disponible à l'export", "Publié", "Visible"],
    },
}


# Headers known to be none of a flow's fields, though a close spelling of one: never matched fuzzily.
# WooCommerce's « Order Subtotal Amount » (lines before discount, without shipping) is not « Order Total
# Amount » nor a total HT.
NOT_FIELDS: dict[str, list[str]] = {
    "documents": ["Order Subtotal Amount", "Sous-total de la commande", "Subtotal"],
}


@dataclass(frozen=True)
class HeaderMatch:
    """The field chosen for one header; ``field`` is None when nothing matched (origin ``aucun``)."""

    header: str
    field: str | None
    score: float
    origin: str   # memorise | format | exact | synonyme | approchant | aucun


def normalize(text: str) -> str:
    """Comparable form of a header: ASCII, lower case, ``n°/no/num/numero`` → ``num``, no punctuation."""
    t = unicodedata.normalize("NFKD", text.replace("°", " num ").replace("º", " num "))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = t.replace("%", " pct ").replace("#", " num ").replace("&", " et ")
    t = re.sub(r"[^a-z0-9]+", " ", t)
    t = re.sub(r"\b(n|no|nr|nro|num|numero|number)\b", "num", t)
    t = re.sub(r"\b(num )+", "num ", t)
    t = re.sub(r"\b(\w+) (\d)\b", r"\1\2", t)   # "adresse 1" == "adresse1"
    return " ".join(t.split())


def _index(flow: str) -> tuple[dict[str, str], dict[str, str]]:
    if flow not in SYNONYMS:
        raise ValueError(f"unknown flow {flow!r}; expected one of {FLOWS}")
    exact = {normalize(f): f for f in SYNONYMS[flow]}
    syn: dict[str, str] = {}
    for fld, names in SYNONYMS[flow].items():
        for name in names:
            syn.setdefault(normalize(name), fld)
    return exact, syn


def _remembered(workspace: str | os.PathLike[str], connector: str, flow: str) -> dict[str, str | None]:
    from .. import store

    with store.connect(workspace, read_only=True) as con:
        return remembered_choices(con, connector, flow)


def remembered_choices(con: Any, connector: str, flow: str) -> dict[str, str | None]:
    """The user's stored header choices of a connector and flow (normalised header → field or None),
    read through an open store connection."""
    rows = con.execute("SELECT header, field FROM header_mappings WHERE connector = ? AND flow = ?",
                       [connector, flow]).fetchall()
    return {normalize(h): f for h, f in rows}


def map_headers(headers: list[str], flow: str, connector: str | None = None,
                workspace: str | os.PathLike[str] | None = None, *,
                remembered: dict[str, str | None] | None = None,
                source_format: SourceFormat | None = None) -> list[HeaderMatch]:
    """Propose a canonical field for each header of a file.

    Args:
        headers: the file's headers, in order.
        flow: ``documents``, ``tiers`` or ``articles``.
        connector: connector code whose remembered choices win (needs ``workspace``).
        workspace: workspace folder holding ``header_mappings``.
        remembered: the connector's remembered choices already read (:func:`remembered_choices`),
            instead of reading them from ``workspace``.
        source_format: the file's export format (:func:`econn.reading.formats.detect_format`): its
            mapping wins over synonyms and fuzzy matches for the headers it knows.

    Returns:
        One :class:`HeaderMatch` per header, in the same order; each field used at most once.

    Raises:
        ValueError: unknown flow.
    """
    exact, syn = _index(flow)
    if remembered is not None:
        memo = remembered
    else:
        memo = _remembered(workspace, connector, flow) if workspace is not None and connector else {}
    choices = list(syn)
    not_fields = {normalize(h) for h in NOT_FIELDS.get(flow, [])}
    cands: list[tuple[float, int, int, str | None, str]] = []   # (score, origin rank, -position, field, origin)
    for pos, header in enumerate(headers):
        n = normalize(header)
        found: list[tuple[float, str | None, str]] = []
        if n in memo:
            found.append((100.0, memo[n], "memorise"))
        known, fmt_field = source_format.field_of(header) if source_format is not None else (False, None)
        if known:   # the format's field, or None for a column it knows econn does not import
            found.append((100.0, fmt_field, "format"))
        elif n in exact:
            found.append((100.0, exact[n], "exact"))
        if known:
            pass
        elif n in not_fields:
            found.append((100.0, None, "synonyme"))
        elif n in syn:
            found.append((100.0, syn[n], "synonyme"))
        elif n:
            for name, score, _ in process.extract(n, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3):
                found.append((round(float(score), 1), syn[name], "approchant"))
        for score, fld, origin in found:
            cands.append((score, _ORIGIN_RANK[origin], -pos, fld, origin))
    result: dict[int, HeaderMatch] = {}
    used: set[str] = set()
    for score, _, neg_pos, fld, origin in sorted(cands, key=lambda c: (c[0], c[1], c[2]), reverse=True):
        pos = -neg_pos
        if pos in result or (fld is not None and fld in used):
            continue
        result[pos] = HeaderMatch(headers[pos], fld, score, origin)
        if fld is not None:
            used.add(fld)
    return [result.get(i, HeaderMatch(h, None, 0.0, "aucun")) for i, h in enumerate(headers)]


def remember_mapping(workspace: str | os.PathLike[str], connector: str, flow: str, header: str,
                     field: str | None) -> None:
    """Store the user's choice for a header (``field=None``: « ne pas importer »); it wins next time.

    Raises:
        ValueError: unknown flow or field.
    """
    from .. import store

    if flow not in SYNONYMS:
        raise ValueError(f"unknown flow {flow!r}; expected one of {FLOWS}")
    if field is not None and field not in SYNONYMS[flow]:
        raise ValueError(f"unknown field {field!r} for flow {flow}")
    with store.transaction(workspace) as con:
        con.execute(
            "INSERT INTO header_mappings (connector, flow, header, field) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (connector, flow, header) DO UPDATE SET field = excluded.field, "
            "updated_at = now()", [connector, flow, header, field])
