-- 代引手数料 by the amount collected: a merchant's rows (up to this many yen → this fee). A
-- merchant without rows has the carriers' usual table (kippu_domain::goods::cod_fee); one whose
-- flat fee was changed from the old default keeps it as one row up to 300,000 yen.
CREATE TABLE cod_fee_rows (
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    up_to BIGINT NOT NULL CHECK (up_to > 0),
    fee BIGINT NOT NULL CHECK (fee >= 0),
    PRIMARY KEY (merchant_id, up_to)
);
INSERT INTO cod_fee_rows (merchant_id, up_to, fee)
    SELECT id, 300000, cod_fee FROM merchants WHERE cod_fee <> 330 AND cod_fee <= 10000;
