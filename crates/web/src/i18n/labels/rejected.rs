//! 代理注文管理: リジェクト注文情報 and the fraud rules.

pub(super) const LABELS: &[(&str, &str, &str)] = &[
    ("rejected.search", "検索条件", "Search"),
    ("rejected.from", "期間（開始）", "From"),
    ("rejected.to", "期間（終了）", "To"),
    ("rejected.reason", "リジェクト理由", "Reason"),
    ("rejected.at", "日時", "When"),
    ("rejected.orderer", "注文者情報", "Orderer"),
    ("rejected.method", "支払方法", "Payment method"),
    ("rejected.amount", "金額", "Amount"),
    ("rejected.channel", "受付経路", "Channel"),
    ("rejected.detail", "リジェクト注文詳細", "Rejected order"),
    ("rejected.reenter", "再入力", "Enter again"),
    ("rejected.lines", "内訳", "Lines"),
    ("rejected.product", "商品", "Product"),
    ("rejected.unit_price", "単価", "Unit price"),
    ("rejected.quantity", "数量", "Quantity"),
    ("fraud.title", "不正注文チェック", "Fraud rules"),
    (
        "fraud.help",
        "該当する注文は決済の前に受け付けず、リジェクト注文として記録します。0 または空欄は無効です。",
        "An order that hits a rule is refused before payment and kept as a rejected order. 0 or empty is off.",
    ),
    ("fraud.max_amount", "注文金額の上限（円）", "Maximum amount (yen)"),
    (
        "fraud.max_orders",
        "同一電話番号からの1時間あたり注文数の上限",
        "Orders per phone per hour",
    ),
    (
        "fraud.blocked_phones",
        "ブロックする電話番号（1行に1件）",
        "Blocked phones (one per line)",
    ),
    (
        "fraud.blocked_addresses",
        "ブロックする住所（1行に1件、部分一致）",
        "Blocked addresses (one per line, part of the address)",
    ),
];
