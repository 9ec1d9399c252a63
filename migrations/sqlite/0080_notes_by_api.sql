-- 自由メモ over the API (issue 23): a note written with an API token has no operator, so
-- `user_id` may be empty and `author_label` names the token (`api:<name>`); such notes are
-- always shared. SQLite cannot drop a NOT NULL, so the table is rebuilt with its rows.
CREATE TABLE free_memos_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    user_id BIGINT REFERENCES users(id),
    author_label TEXT NOT NULL DEFAULT '',
    shared BIGINT NOT NULL DEFAULT 0,
    customer_id BIGINT REFERENCES customers(id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);
INSERT INTO free_memos_v2 (id, merchant_id, user_id, author_label, shared, customer_id, body, created_at, updated_at, updated_by)
    SELECT id, merchant_id, user_id, '', shared, customer_id, body, created_at, updated_at, updated_by FROM free_memos;
DROP TABLE free_memos;
ALTER TABLE free_memos_v2 RENAME TO free_memos;
CREATE INDEX free_memos_merchant ON free_memos (merchant_id, updated_at);
