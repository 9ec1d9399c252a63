-- 精算: the points goods buyers spent, borne by the merchant (ポイント利用（加盟店負担）), as a
-- total of the monthly settlement beside its goods sales.
ALTER TABLE settlements ADD COLUMN points_used BIGINT NOT NULL DEFAULT 0;
