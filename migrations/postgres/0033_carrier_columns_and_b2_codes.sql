-- 出荷データ一括登録: the columns a merchant chose once for a file type whose header kippu could
-- not read (header names, or 「列N」 for a file without one), used again on the next file.
CREATE TABLE carrier_column_maps (
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    file_type TEXT NOT NULL,
    management TEXT NOT NULL,
    tracking TEXT NOT NULL,
    delivery_date TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, file_type)
);

-- What B2クラウド requires of a label file, set in 物販の設定: ご請求先顧客コード, its 分類コード
-- and 運賃管理番号; and the sender's postal code (ご依頼主郵便番号).
ALTER TABLE merchants ADD COLUMN b2_billing_customer_code TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN b2_billing_class_code TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN b2_freight_number TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN sender_postal_code TEXT NOT NULL DEFAULT '';
