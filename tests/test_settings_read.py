"""No setting is stored without code that reads it.

Every column of ``connectors`` (the wizard's fields) and every key of the workspace ``settings`` table is
listed here with the functions that read it, and each listed function is checked to exist and to name the
setting in its source. A new column or key without a reader makes the first tests fail; a reader that stops
reading its setting makes the last ones fail.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

from econn import store
from econn.config import connectors, workspace_settings

# Column of ``connectors`` → the functions that read it (``module:function``) and what they do with it.
CONNECTOR_READERS: dict[str, tuple[list[str], str]] = {
    "code": (["econn.reception.context:load_connector"], "identifies the connector everywhere"),
    "partner": (["econn.history.overview:connector_overview", "econn.config.connectors:summary"],
                "« En liaison avec », shown on the home page and in the connector list"),
    "hidden": (["econn.history.overview:connector_overview"], "hides the connector from the home page"),
    "mode": (["econn.config.connectors:validate", "econn.config.connectors:_make_default_dirs"],
             "webservice: address and key required, no default folders"),
    "site_url": (["econn.config.connectors:validate"],
                 "checked and shown only: econn exchanges files, it never calls the site"),
    "ws_key": (["econn.config.connectors:validate", "econn.config.connectors:ConnectorSettings.to_dict"],
               "checked, shown masked only: econn exchanges files, it never calls the site"),
    "import_dir": (["econn.reception.context:connector_files"], "where receptions read the files"),
    "export_dir": (["econn.send.export:plan"], "where sends write the files"),
    "file_encoding": (["econn.send.export:send"], "encoding of the files sent"),
    "file_delimiter": (["econn.send.export:send"], "delimiter of the files sent"),
    "articles_send": (["econn.send.export:_article_query", "econn.diagnostics.articles:articles_without_code"],
                      "which articles are sent"),
    "articles_filter": (["econn.send.export:_article_query", "econn.diagnostics.articles:articles_without_code"],
                        "the articles' custom filter"),
    "price_category": (["econn.send.export:_article_query", "econn.reception.integration:_tiers_codes"],
                       "prices sent; category of the tiers created"),
    "unit": (["econn.send.export:_article_query", "econn.reception.analysis:_analyze_file"],
             "unit sent; default unit of received lines"),
    "depot": (["econn.send.export:_article_query"], "stock sent"),
    "clients_send": (["econn.send.export:_client_where"], "which clients are sent"),
    "clients_filter": (["econn.send.export:_client_where"], "the clients' custom filter"),
    "send_contacts": (["econn.send.export:_contact_query"], "contacts sent with the clients"),
    "doc_type": (["econn.reception.context:Connector.document_type"], "type of the documents created"),
    "entreprise": (["econn.reception.integration:_write"], "entreprise of the documents created"),
    "site": (["econn.reception.integration:_write"], "site of the documents created"),
    "transporteur": (["econn.reception.integration:_write"], "transporteur of the documents created"),
    "auto_payment": (["econn.reception.integration:_payments"], "a payment per integrated document"),
    "client_family": (["econn.reception.integration:_tiers_codes"], "family of the tiers created"),
    "tiers_reception": (["econn.reception.tiers:match_file_tiers"], "Non concerné: no tiers created"),
    "default_client": (["econn.reception.tiers:_not_received"], "where an unknown customer's orders go"),
    "refresh": (["econn.history.overview:connector_overview"], "analyse and warn at opening, or on demand"),
}
BOOKKEEPING = {"created_at", "updated_at"}


def _resolve(dotted: str) -> Any:
    module, _, path = dotted.partition(":")
    obj: Any = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj.fget if isinstance(obj, property) else obj


def test_every_connector_column_has_a_reader(workspace: Path) -> None:
    with store.connect(workspace, read_only=True) as con:
        columns = {r[0] for r in con.execute("DESCRIBE connectors").fetchall()} - BOOKKEEPING
    assert columns == set(CONNECTOR_READERS), "a connectors column without a listed reader, or a stale entry"
    assert set(connectors.COLUMNS) == columns


@pytest.mark.parametrize("column", sorted(CONNECTOR_READERS))
def test_connector_column_readers_read_it(column: str) -> None:
    readers, _why = CONNECTOR_READERS[column]
    for dotted in readers:
        source = inspect.getsource(_resolve(dotted))
        assert re.search(rf"\b{column}\b", source), f"{dotted} does not read {column}"


def test_every_stored_setting_key_is_declared(demo_template: Path) -> None:
    with store.connect(demo_template, read_only=True) as con:
        keys = {r[0] for r in con.execute("SELECT key FROM settings").fetchall()}
    assert keys <= set(workspace_settings.registry())


def test_every_key_that_econn_writes_or_reads_is_declared() -> None:
    """Every settings key named in econn's code (a ``get_setting``/``set_setting`` literal or a ``*_KEY`` /
    ``SETTING_*`` constant) is declared, so it has readers and a place where a user sets it."""
    root = Path(workspace_settings.__file__).resolve().parents[1]
    keys: set[str] = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"_setting\(con, \"([a-z_.]+)\"", text))
        keys |= set(re.findall(r"^(?:SETTING_\w+|\w+_KEY) = \"([a-z_]+\.[a-z_.]+)\"", text, re.M))
    assert keys and keys <= set(workspace_settings.registry()), keys - set(workspace_settings.registry())


@pytest.mark.parametrize("key", sorted(workspace_settings.registry()))
def test_workspace_setting_readers_read_it(key: str) -> None:
    setting = workspace_settings.registry()[key]
    assert setting.readers
    for dotted in setting.readers:
        fn = _resolve(dotted)
        source = inspect.getsource(fn)
        module = importlib.import_module(dotted.partition(":")[0])
        names = {n for n, v in vars(module).items() if v == key} | {key}
        if key.startswith("securite."):
            names.add("setting_key(")      # securite.<operation>.seuil is built from the operation
        assert any(n in source for n in names), f"{dotted} does not read {key}"
