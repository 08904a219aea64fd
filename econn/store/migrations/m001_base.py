"""Migration 1: the base schema (connectors, GC reference tables, correspondences, files, documents, history)."""

VERSION = 1

SQL = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE connectors (
    code VARCHAR PRIMARY KEY,
    partner VARCHAR NOT NULL DEFAULT 'Autre',      -- « En liaison avec »
    mode VARCHAR NOT NULL DEFAULT 'csv',           -- csv | webservice
    hidden BOOLEAN NOT NULL DEFAULT false,         -- « Ne pas montrer dans les listes »
    import_dir VARCHAR,
    export_dir VARCHAR,
    file_encoding VARCHAR NOT NULL DEFAULT 'cp1252',
    file_delimiter VARCHAR NOT NULL DEFAULT ';',
    articles_send VARCHAR NOT NULL DEFAULT 'export', -- export | filtre | aucun
    articles_filter VARCHAR,
    price_category VARCHAR,
    unit VARCHAR,
    depot VARCHAR,
    clients_send VARCHAR NOT NULL DEFAULT 'aucun',  -- tous | filtre | aucun
    clients_filter VARCHAR,
    send_contacts BOOLEAN NOT NULL DEFAULT false,
    doc_type VARCHAR NOT NULL DEFAULT 'commandes',  -- commandes | livraisons
    entreprise VARCHAR,
    site VARCHAR,
    transporteur VARCHAR,
    auto_payment BOOLEAN NOT NULL DEFAULT false,
    client_family VARCHAR,
    supplier_family VARCHAR,
    tiers_reception VARCHAR NOT NULL DEFAULT 'avec_commande', -- avec_commande | aucun
    refresh VARCHAR NOT NULL DEFAULT 'manuel',      -- manuel | ouverture
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE articles (
    code VARCHAR PRIMARY KEY,
    libelle VARCHAR,
    unite VARCHAR,
    code_tva VARCHAR,
    prix_ht DECIMAL(18, 4),
    prix_achat DECIMAL(18, 4),
    famille VARCHAR,
    ean VARCHAR,
    actif BOOLEAN NOT NULL DEFAULT true,
    export BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE tiers (
    code VARCHAR PRIMARY KEY,
    type VARCHAR NOT NULL DEFAULT 'client',        -- client | fournisseur | prospect
    societe VARCHAR,
    civilite VARCHAR,
    nom VARCHAR,
    prenom VARCHAR,
    email VARCHAR,
    telephone VARCHAR,
    mobile VARCHAR,
    adresse1 VARCHAR,
    adresse2 VARCHAR,
    code_postal VARCHAR,
    ville VARCHAR,
    pays VARCHAR,
    siret VARCHAR,
    tva_intra VARCHAR,
    famille VARCHAR,
    categorie_tarifaire VARCHAR,
    actif BOOLEAN NOT NULL DEFAULT true,
    origin VARCHAR NOT NULL DEFAULT 'gc',          -- gc | reception
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE contact_id;
CREATE TABLE contacts (
    id BIGINT PRIMARY KEY DEFAULT nextval('contact_id'),
    tiers VARCHAR NOT NULL,
    civilite VARCHAR, nom VARCHAR, prenom VARCHAR, fonction VARCHAR,
    email VARCHAR, telephone VARCHAR
);

CREATE TABLE tva_codes (
    code VARCHAR PRIMARY KEY,
    taux DECIMAL(6, 3) NOT NULL,
    libelle VARCHAR,
    type VARCHAR NOT NULL DEFAULT 'normal', -- normal | reduit | exonere_intracom | export | autoliquidation | non_soumis
    pays VARCHAR NOT NULL DEFAULT 'FR',
    actif BOOLEAN NOT NULL DEFAULT true
);

-- Dated reference rates (domain.md §5): user-editable, sources disagree on dates.
CREATE TABLE vat_rates (
    country VARCHAR NOT NULL,
    territory VARCHAR NOT NULL DEFAULT '',   -- '' | DOM | CORSE
    rate DECIMAL(6, 3) NOT NULL,
    kind VARCHAR NOT NULL,                   -- standard | reduit | super_reduit | parking
    valid_from DATE NOT NULL,
    valid_to DATE
);

CREATE TABLE units (code VARCHAR PRIMARY KEY, libelle VARCHAR, unece VARCHAR, actif BOOLEAN NOT NULL DEFAULT true);
CREATE TABLE countries (code VARCHAR PRIMARY KEY, libelle VARCHAR, ue BOOLEAN NOT NULL DEFAULT false);
CREATE TABLE payment_methods (
    code VARCHAR PRIMARY KEY, libelle VARCHAR, condition VARCHAR, actif BOOLEAN NOT NULL DEFAULT true
);
CREATE TABLE price_categories (code VARCHAR PRIMARY KEY, libelle VARCHAR, ttc BOOLEAN NOT NULL DEFAULT false);

CREATE SEQUENCE price_grid_id;
CREATE TABLE price_grids (
    id BIGINT PRIMARY KEY DEFAULT nextval('price_grid_id'),
    ref VARCHAR,
    source VARCHAR,
    article VARCHAR,
    categorie_tarifaire VARCHAR,
    client VARCHAR,
    qte_min DECIMAL(18, 4),
    prix_ht DECIMAL(18, 4),
    remise_pct DECIMAL(9, 4),
    date_debut DATE,
    date_fin DATE,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE correspondences (
    connector VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,               -- tva | unite | pays | reglement | article | tiers
    external_value VARCHAR NOT NULL,
    external_variant VARCHAR NOT NULL DEFAULT '',
    gc_value VARCHAR,
    state VARCHAR NOT NULL DEFAULT 'non_verifie', -- non_verifie | suggere | valide | aucune | a_creer
    origin VARCHAR NOT NULL DEFAULT 'manuelle',   -- manuelle | suggestion | import | auto
    score DOUBLE,
    reason VARCHAR,
    updated_by VARCHAR,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (connector, domain, external_value, external_variant)
);

CREATE TABLE header_mappings (
    connector VARCHAR NOT NULL, flow VARCHAR NOT NULL, header VARCHAR NOT NULL, field VARCHAR,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (connector, flow, header)
);

CREATE SEQUENCE received_file_id;
CREATE TABLE received_files (
    id BIGINT PRIMARY KEY DEFAULT nextval('received_file_id'),
    connector VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size BIGINT,
    encoding VARCHAR,
    delimiter VARCHAR,
    rows_total BIGINT,
    rows_rejected BIGINT,
    status VARCHAR NOT NULL DEFAULT 'en_attente', -- en_attente | partiel | integre | erreur
    first_seen TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_run TIMESTAMP
);

CREATE SEQUENCE document_id;
CREATE TABLE documents (
    id BIGINT PRIMARY KEY DEFAULT nextval('document_id'),
    connector VARCHAR NOT NULL,
    ext_number VARCHAR NOT NULL,
    gc_number VARCHAR NOT NULL UNIQUE,
    doc_type VARCHAR NOT NULL,
    doc_date DATE,
    tiers_code VARCHAR,
    tiers_ext VARCHAR,
    name VARCHAR,
    total_ht DECIMAL(18, 4),
    total_ttc DECIMAL(18, 4),
    payment_code VARCHAR,
    entreprise VARCHAR,
    site VARCHAR,
    transporteur VARCHAR,
    file_name VARCHAR,
    file_sha256 VARCHAR,
    integrated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (connector, ext_number)
);

CREATE TABLE document_lines (
    document_id BIGINT NOT NULL,
    line_no INTEGER NOT NULL,
    article VARCHAR,
    variant VARCHAR,
    libelle VARCHAR,
    qte DECIMAL(18, 4),
    unite VARCHAR,
    pu_ht DECIMAL(18, 4),
    remise_pct DECIMAL(9, 4),
    code_tva VARCHAR,
    taux_tva DECIMAL(6, 3),
    PRIMARY KEY (document_id, line_no)
);

CREATE SEQUENCE payment_id;
CREATE TABLE payments (
    id BIGINT PRIMARY KEY DEFAULT nextval('payment_id'),
    number VARCHAR NOT NULL UNIQUE,
    document_id BIGINT NOT NULL,
    mode VARCHAR,
    amount DECIMAL(18, 4),
    paid_on DATE
);

CREATE SEQUENCE history_id;
CREATE TABLE history (
    id BIGINT PRIMARY KEY DEFAULT nextval('history_id'),
    connector VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,            -- reception | envoi | erreur | action
    data_type VARCHAR,                -- document | client | fournisseur | article | fichier | diagnostic
    level VARCHAR NOT NULL,           -- succès | alerte | erreur
    occurred_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    purchase_date DATE,
    origin_number VARCHAR,
    gc_number VARCHAR,
    name VARCHAR,
    gc_tiers VARCHAR,
    origin_tiers VARCHAR,
    amount_ttc DECIMAL(18, 4),
    payment_number VARCHAR,
    code VARCHAR,
    message VARCHAR,
    hint VARCHAR,
    reference VARCHAR,
    closed_at TIMESTAMP,
    closed_by VARCHAR,
    justification VARCHAR
);

CREATE SEQUENCE run_id;
CREATE TABLE runs (
    id BIGINT PRIMARY KEY DEFAULT nextval('run_id'),
    kind VARCHAR NOT NULL,
    connector VARCHAR,
    started_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL DEFAULT 'en_cours',
    summary VARCHAR
);

CREATE TABLE findings (
    run_id BIGINT,
    code VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    hint VARCHAR,
    source VARCHAR,
    line BIGINT,
    document VARCHAR,
    column_name VARCHAR,
    value VARCHAR,
    subject VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE counters (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE SEQUENCE action_id;
CREATE TABLE actions (
    id BIGINT PRIMARY KEY DEFAULT nextval('action_id'),
    connector VARCHAR,
    kind VARCHAR NOT NULL,
    params VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'en_attente',
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    done_at TIMESTAMP
);

CREATE INDEX history_connector_at ON history (connector, occurred_at);
"""
