"""Import ASN from the BKPSDM spreadsheet (CSV or XLSX): validated, all-or-nothing, idempotent.

The whole import is one unit of work inside the caller's transaction. Rows are validated in
Python in a tight loop (`validate`), streamed in batches into a staging table (`staging`), then
merged into `asn` in NIP order (`merge`). A first import into an empty registry writes `asn`
directly, a large CSV one from two worker processes (`parallel`). Memory stays flat: only the
set of NIPs seen is kept, for the duplicate check. `pipeline` runs the steps in order.
"""

from netral.registry.importer.pipeline import import_asn
from netral.registry.importer.report import ImportFailed, ImportReport, RowError
from netral.registry.importer.tables import EXPORT_HEADERS

__all__ = ["EXPORT_HEADERS", "ImportFailed", "ImportReport", "RowError", "import_asn"]
