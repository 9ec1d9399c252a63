//! Labels of how buyers pay after the order: the payment instructions (コンビニ支払い, 銀行振込)
//! and 決済設定's deadlines; (key, Japanese, English).

pub const LABELS: &[(&str, &str, &str)] = &[
    ("pay.instructions", "お支払いについて", "How to pay"),
    ("pay.chains", "お支払い先", "Where to pay"),
    ("pay.number", "受付番号", "Payment number"),
    ("pay.konbini_due", "支払期限", "Pay by"),
    ("pay.account", "振込先口座", "Account to transfer to"),
    ("pay.bank_due", "振込期限", "Transfer by"),
    (
        "pay.cancel_note",
        "期限を過ぎますとご注文はキャンセルとなります。",
        "The order is cancelled if it is not paid by then.",
    ),
    ("pay.deadlines", "お支払い期限", "Payment deadlines"),
    (
        "pay.bank_due_days",
        "振込期限（注文日から何日後）",
        "Transfer deadline (days after the order)",
    ),
    (
        "pay.bank_reminder_days",
        "振込期限のリマインドメール（期限の何日前、0は送らない）",
        "Transfer reminder (days before the deadline, 0 for none)",
    ),
    (
        "pay.konbini_due_days",
        "コンビニ支払期限（注文日から何日後）",
        "Convenience-store deadline (days after the order)",
    ),
    (
        "pay.cancel_unpaid",
        "期限までに入金のない注文を自動でキャンセルする（在庫を戻し、お客様にお知らせします）",
        "Cancel orders not paid by the deadline (stock back, the buyer told)",
    ),
    ("pay.no_checkbox", "手動で入金処理できません", "Payment cannot be marked by hand"),
];
