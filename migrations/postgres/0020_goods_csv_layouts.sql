-- 検索結果をダウンロード: the goods list's CSV column layouts a merchant saves and names. The
-- columns are the domain's codes (`GoodsColumn`), comma-separated, in the file's order.
CREATE TABLE goods_csv_layouts (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    name TEXT NOT NULL,
    columns TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX goods_csv_layouts_name ON goods_csv_layouts (merchant_id, name);
