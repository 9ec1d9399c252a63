//! Labels of a customer's one point ledger (its sources and the state of each order's points);
//! (key, Japanese, English).

pub const LABELS: &[(&str, &str, &str)] = &[
    ("points.source", "発行元", "Source"),
    ("points.status", "ポイントステータス", "Point status"),
    ("points.grants", "注文ごとの付与ポイント", "Points earned per order"),
    ("points.ledger", "ポイント履歴", "Points history"),
    ("points.order", "受注番号", "Order"),
];
