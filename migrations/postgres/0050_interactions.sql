-- 対応履歴 and 自由メモ (seed 003 代理注文管理). The placeholder tables of 0001 were never used;
-- they are replaced by the shapes the call centre needs.
DROP TABLE interaction_settings;
DROP TABLE interactions;
DROP TABLE free_memos;

-- A merchant's 対応区分 and 対応概要 (one name a line) and the CSV column set (codes joined by
-- ','). A merchant without a row has the defaults (kippu_domain::interaction).
CREATE TABLE interaction_settings (
    merchant_id BIGINT NOT NULL PRIMARY KEY REFERENCES merchants(id),
    categories TEXT NOT NULL,
    summaries TEXT NOT NULL,
    csv_columns TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Category and summary are kept as the names chosen, so renaming a list later never rewrites
-- what was recorded.
CREATE TABLE interactions (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    order_id BIGINT REFERENCES orders(id),
    user_id BIGINT REFERENCES users(id),
    category TEXT NOT NULL,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX interactions_merchant_at ON interactions (merchant_id, at);
CREATE INDEX interactions_customer ON interactions (merchant_id, customer_id, at);

-- 自由メモ: an operator's own note (shared = 0) or one every operator of the merchant sees and
-- may change (shared = 1), optionally about a customer.
CREATE TABLE free_memos (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    shared BIGINT NOT NULL DEFAULT 0,
    customer_id BIGINT REFERENCES customers(id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);
CREATE INDEX free_memos_merchant ON free_memos (merchant_id, updated_at);
