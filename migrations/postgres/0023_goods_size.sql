-- A goods product's optional parcel size class (60〜200サイズ) and weight in grams.
ALTER TABLE products ADD COLUMN size_class TEXT;
ALTER TABLE products ADD COLUMN weight_g BIGINT;
