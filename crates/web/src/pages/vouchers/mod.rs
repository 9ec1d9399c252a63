//! 加盟店管理画面 of electronic vouchers (seed 004): 利用実績 with 取消, 月別・日別利用実績,
//! 精算管理 and データ出力 (店舗一覧 is `/settings/stores`, 加盟店情報 `/settings/merchant`).

mod export;
mod records;
mod settlement;
mod totals;

pub use export::{download as export_csv, page as export_page};
pub use records::{cancel_run, cancel_screen, list};
pub use settlement::{payouts, statement};
pub use totals::{daily, monthly};

/// The voucher screens' own menu, as the manual's side menu lists them: (path, label key).
pub const MENU: &[(&str, &str)] = &[
    ("/vouchers/payments", "vouchers.records"),
    ("/vouchers/monthly", "vouchers.monthly"),
    ("/vouchers/daily", "vouchers.daily"),
    ("/vouchers/settlement", "vouchers.settlement"),
    ("/settings/stores", "vouchers.stores"),
    ("/vouchers/export", "vouchers.export"),
    ("/settings/merchant", "vouchers.merchant_info"),
];
