-- 出荷データ一括登録 keeps each upload's report: the run (counts, what was asked, what happened)
-- and one row per line of the file (line number, order and destination, OK or NG and why), so
-- the answer to an upload carries counts and the first NG lines, and the whole report is read a
-- page at a time. `shipped` marks the lines whose destination this run marked 発送済み (the
-- shipping notices the page offers).
CREATE TABLE shipment_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    file_type TEXT NOT NULL,
    encoding TEXT NOT NULL,
    mark_shipped BIGINT NOT NULL,
    apply_mode TEXT NOT NULL,
    applied BIGINT NOT NULL DEFAULT 0,
    line_count BIGINT NOT NULL DEFAULT 0,
    ok_count BIGINT NOT NULL DEFAULT 0,
    ng_count BIGINT NOT NULL DEFAULT 0,
    unchanged_count BIGINT NOT NULL DEFAULT 0,
    applied_count BIGINT NOT NULL DEFAULT 0,
    shipped_orders BIGINT NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX shipment_imports_merchant ON shipment_imports (merchant_id, created_at);

CREATE TABLE shipment_import_lines (
    import_id BIGINT NOT NULL REFERENCES shipment_imports(id),
    line BIGINT NOT NULL,
    order_number TEXT,
    destination BIGINT,
    tracking_number TEXT,
    delivery_date TEXT,
    ok BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    shipped BIGINT NOT NULL DEFAULT 0,
    reason TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
);
CREATE INDEX shipment_import_lines_ng ON shipment_import_lines (import_id, ok, line);
