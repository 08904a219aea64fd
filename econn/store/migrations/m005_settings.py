"""Migration 5: settings that act (issue #19).

* ``entreprises``, ``sites``, ``transporteurs``: the GC tables the connector's « Entreprise affectée »,
  « Site affecté » and « Transporteur affecté par défaut » are checked against once loaded
  (``econn import entreprises|sites|transporteurs``; empty tables check nothing).
* ``connectors.default_client``: the GC customer an order from an unknown customer goes to when
  « Réception des tiers » is « Non concerné » (no tiers is created); empty, such an order is blocked.
* ``connectors.supplier_family`` is dropped: econn receives sales documents (commandes, livraisons), whose
  tiers are customers, so no reception ever creates a supplier and « Famille fournisseur » had nothing to
  act on.
* ``actions.created_by`` and ``actions.result``: who queued an action, and what running it did.
"""

VERSION = 5

SQL = """
CREATE TABLE entreprises (code VARCHAR PRIMARY KEY, libelle VARCHAR, actif BOOLEAN NOT NULL DEFAULT true);
CREATE TABLE sites (code VARCHAR PRIMARY KEY, libelle VARCHAR, actif BOOLEAN NOT NULL DEFAULT true);
CREATE TABLE transporteurs (code VARCHAR PRIMARY KEY, libelle VARCHAR, actif BOOLEAN NOT NULL DEFAULT true);
ALTER TABLE connectors ADD COLUMN default_client VARCHAR;
ALTER TABLE connectors DROP COLUMN supplier_family;
ALTER TABLE actions ADD COLUMN created_by VARCHAR;
ALTER TABLE actions ADD COLUMN result VARCHAR;
"""
