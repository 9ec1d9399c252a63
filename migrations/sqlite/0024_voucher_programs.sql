-- A voucher programme's settlement cycle (`start:months_after:day` per period, the domain's
-- `voucher::cycle::Cycle`) and its validity period (`YYYY-MM-DD`, inclusive).
ALTER TABLE voucher_programs ADD COLUMN cycle TEXT NOT NULL DEFAULT '1:0:end,15:1:15';
ALTER TABLE voucher_programs ADD COLUMN valid_from TEXT NOT NULL DEFAULT '';
ALTER TABLE voucher_programs ADD COLUMN valid_to TEXT NOT NULL DEFAULT '';
