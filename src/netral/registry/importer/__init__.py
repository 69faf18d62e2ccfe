"""Import ASN from the BKPSDM spreadsheet (CSV or XLSX): validated, all-or-nothing, idempotent.

The whole import is one unit of work inside the caller's transaction. The file is read into Arrow
columns and checked a column at once (`columnar`); the rows that need a closer look go through
the per-row validator (`validate`), which also runs alone as `engine="rows"`. Valid rows go in
batches into a staging table (`staging`), then are merged into `asn` in NIP order (`merge`); a
first import into an empty registry writes `asn` directly. `pipeline` runs the steps in order.
"""

from netral.registry.importer.pipeline import import_asn
from netral.registry.importer.report import ImportFailed, ImportReport, RowError
from netral.registry.importer.tables import EXPORT_HEADERS

__all__ = ["EXPORT_HEADERS", "ImportFailed", "ImportReport", "RowError", "import_asn"]
