"""Parts, purchase orders, progress reports, ship notices, lots, consumption and receipts.

The one door of each record (every form, API call, spreadsheet row and EDI record goes through
it; each takes ``(session, actor, ...)``, validates with one schema of :mod:`.schemas`, checks
roles and access, writes, records an audit event and never commits):

- :func:`.parts.define_part`, :func:`.parts.set_bom_line`
- :func:`.purchasing.create_purchase_order` (EDI 850 / ORDERS record shape)
- :func:`.confirmations.record_confirmation` (confirm / propose / accept / reject; 855 / ORDRSP)
- :func:`.progress.record_progress` (idempotent by the client's key)
- :func:`.shipping.create_ship_notice` (856 / DESADV record shape)
- :func:`.consumption.declare_consumption`
- :func:`.receiving.record_receipt`
- :func:`.imports.import_purchase_orders`, :func:`.imports.import_consumption` (CSV/XLSX)
"""
