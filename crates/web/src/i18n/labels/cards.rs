//! 代理注文管理: 登録クレジットカード.

pub(super) const LABELS: &[(&str, &str, &str)] = &[
    ("cards.title", "登録クレジットカード", "Stored cards"),
    ("cards.refresh", "情報取得", "Fetch card information"),
    ("cards.refreshed", "登録カード情報を取得しました", "Card information fetched"),
    (
        "cards.no_numbers",
        "カード番号は決済代行会社だけが保持します。ここにはブランド・下4桁・有効期限だけが表示されます。",
        "Only the payment company keeps card numbers; kippu shows the brand, last 4 digits and expiry.",
    ),
    ("cards.brand", "ブランド", "Brand"),
    ("cards.number", "カード番号", "Card number"),
    ("cards.expiry", "有効期限", "Expiry"),
    ("cards.fetched_at", "取得日時", "Fetched"),
    ("cards.delete", "削除", "Delete"),
    (
        "cards.delete_confirm",
        "この登録カードを削除しますか？決済代行会社からも削除されます。",
        "Delete this card? It is deleted at the payment company too.",
    ),
    ("cards.deleted", "登録カードを削除しました", "Card deleted"),
    ("cards.register", "カード登録（サンドボックス）", "Register a card (sandbox)"),
    (
        "cards.register_help",
        "本番では決済代行会社の専用タブレットで登録します。サンドボックスでは tok_visa、tok_master、tok_jcb、tok_declined_on_charge（請求時に承認されないカード）を使えます。",
        "In production the payment company's tablet registers cards. The sandbox takes tok_visa, tok_master, tok_jcb and tok_declined_on_charge (declined when charged).",
    ),
    ("cards.token", "カードトークン", "Card token"),
    ("cards.register_submit", "登録", "Register"),
    ("cards.registered", "カードを登録しました", "Card registered"),
    (
        "cards.pick_first",
        "先に受付で顧客を選んでください。",
        "Pick a customer in Reception first.",
    ),
];
