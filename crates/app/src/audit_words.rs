//! 操作履歴 in words: each audit entry as a sentence (「demo1-admin が 受注 T…39 に「入金済みに変更」を
//! 行いました」) and what changed as before → after in words, in Japanese and English. The one
//! place that reads stored action codes and change records for people.

use kippu_domain::Yen;
use kippu_domain::label::Label;
use kippu_domain::order::PaymentMethod;
use kippu_domain::reservation::{DoorState, PayoutStatus};
use kippu_domain::web_ticket::{Action, Status, Usage};
use kippu_store::audit::AuditRow;
use serde_json::{Map, Value};

/// An audit entry for people: the sentence and the changes, each in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub ja: String,
    pub en: String,
    /// `(ja, en)` per changed value: 「ステータス: 未入金 → 送信待ち」.
    pub changes: Vec<(String, String)>,
}

/// Audit actions other than the order flows' own (whose words come from `Action`).
const ACTIONS: &[(&str, &str, &str)] = &[
    ("create", "作成", "Create"),
    ("update", "更新", "Update"),
    ("import", "取込", "Import"),
    ("listing", "掲載の変更", "Change listing"),
    ("login", "ログイン", "Sign in"),
    ("message", "メッセージ送信", "Write a message"),
    ("password_reset", "パスワード再設定", "Reset password"),
    ("password_reset_requested", "パスワード再設定の申請", "Request password reset"),
    ("password_change", "パスワード変更", "Change password"),
    ("payout", "精算の作成", "Settle"),
    ("payout_paid", "支払済みに変更", "Mark payout paid"),
    ("redeem", "引き換え", "Redeem"),
    ("resend_confirmation", "確認メールの再送", "Resend confirmation"),
    ("reset", "初期値に戻す", "Reset to default"),
    ("retry", "再送", "Retry"),
    ("revoke", "失効", "Revoke"),
    ("set_fee_rate", "手数料率の変更", "Change fee rate"),
    ("stock", "在庫の変更", "Change stock"),
    ("stock_range", "在庫の一括変更", "Change stock range"),
    ("test_send", "テスト送信", "Test send"),
    ("transfer", "譲渡", "Transfer"),
    ("archive", "アーカイブ", "Archive"),
    ("restore", "復元", "Restore"),
    ("use", "使用済みに変更", "Mark used"),
    ("unuse", "未使用に戻す", "Mark unused"),
    ("cancel_reservation", "予約キャンセル", "Cancel booking"),
    ("invite", "招待", "Invite"),
    ("disable", "無効化", "Disable"),
    ("enable", "有効化", "Enable"),
    ("suspended", "利用停止", "Suspend"),
    ("active", "利用再開", "Resume"),
    ("goods_edit", "受注編集", "Edit order"),
    ("set_ad_code", "広告コードの変更", "Change the AD code"),
];

const ENTITIES: &[(&str, &str, &str)] = &[
    ("order", "受注", "order"),
    ("ticket", "チケット", "ticket"),
    ("user", "ユーザー", "user"),
    ("product", "商品", "product"),
    ("merchant", "加盟店", "merchant"),
    ("api_token", "APIトークン", "API token"),
    ("channel", "販売チャネル", "channel"),
    ("availability", "在庫", "availability"),
    ("stock", "在庫", "stock"),
    ("bank_statement", "銀行明細", "bank statement"),
    ("settlement", "精算", "settlement"),
    ("email_template", "メールテンプレート", "email template"),
    ("outbox", "送信メール", "outgoing mail"),
    ("customer", "顧客", "customer"),
    ("merchant_profile", "加盟店情報", "merchant profile"),
    ("store", "店舗", "store"),
    ("terminal", "端末", "terminal"),
];

const KEYS: &[(&str, &str, &str)] = &[
    ("status", "ステータス", "Status"),
    ("usage", "使用状況", "Usage"),
    ("payment", "入金状況", "Payment"),
    ("shipping", "発送状況", "Shipping"),
    ("destinations", "お届け先", "Destinations"),
    ("ship_date", "商品発送日", "Ship date"),
    ("holder_name", "使用者名", "Holder"),
    ("platform_fee_bp", "手数料率", "Fee rate"),
    ("remaining", "残り在庫", "Remaining"),
    ("capacity", "在庫数", "Capacity"),
    ("listed", "掲載", "Listed"),
    ("subject", "件名", "Subject"),
    ("body", "本文", "Body"),
    ("party_size", "来店人数", "Party"),
    ("fee_kept", "キャンセル料", "Fee kept"),
    ("refunded", "返金額", "Refunded"),
    ("reason", "理由", "Reason"),
    ("net", "支払額", "Net"),
    ("amount", "金額", "Amount"),
    ("payment_method", "決済種別", "Payment"),
    ("card_mode", "クレジットカードの決済モード", "Card mode"),
    ("bank_account", "銀行振込の振込先", "Bank transfer account"),
    ("quantity", "数量", "Quantity"),
    ("to", "宛先", "To"),
    ("name", "名前", "Name"),
    ("email", "メールアドレス", "Email"),
    ("role", "権限", "Role"),
    ("matched", "照合", "Matched"),
    ("unmatched", "未照合", "Unmatched"),
    ("lines", "行数", "Lines"),
    ("disabled", "無効", "Disabled"),
    ("period", "対象月", "Period"),
    ("code", "コード", "Code"),
    ("kana", "カナ", "Kana"),
    ("invoice_number", "登録番号", "Invoice registration number"),
    ("bank", "振込先口座", "Bank account"),
    ("admin_login", "管理者ログインID", "Admin login ID"),
    ("address", "住所", "Address"),
    ("items", "商品", "Items"),
    ("shipping_fee", "送料", "Shipping fee"),
    ("cod_fee", "代引手数料", "COD fee"),
    ("points_used", "ポイント利用", "Points used"),
];

fn look_up(table: &[(&str, &'static str, &'static str)], code: &str) -> Option<Label> {
    table.iter().find(|(c, _, _)| *c == code).map(|(_, ja, en)| Label::new(ja, en))
}

/// The words of an action code: the order flows' own, else the audit table, else the code.
fn action_words(code: &str) -> (String, String) {
    match Action::parse(code).map(Action::label).or_else(|| look_up(ACTIONS, code)) {
        Some(l) => (l.ja.to_string(), l.en.to_string()),
        None => (code.to_string(), code.to_string()),
    }
}

/// A stored value in words: statuses, usage and payment methods by their labels, yen as yen.
fn value_words(key: &str, v: &Value) -> (String, String) {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_string(),
        other => other.to_string(),
    };
    let label = match key {
        "status" => Status::parse(&text)
            .map(Status::label)
            .or_else(|| DoorState::parse(&text).map(DoorState::label))
            .or_else(|| PayoutStatus::parse(&text).map(PayoutStatus::label))
            .or_else(|| kippu_domain::goods::OrderStatus::parse(&text).map(kippu_domain::goods::OrderStatus::label)),
        // A goods order's 入金状況 and 発送状況 (未発送, 一部発送, 発送済み).
        "payment" | "shipping" => kippu_domain::goods::history_label(&text),
        "usage" => Usage::parse(&text).map(Usage::label),
        "payment_method" | "card_mode" | "bank_account" => PaymentMethod::parse(&text).map(PaymentMethod::label),
        _ => None,
    };
    if let Some(l) = label {
        return (l.ja.to_string(), l.en.to_string());
    }
    match (key, v.as_i64(), v.as_bool()) {
        ("amount" | "net" | "fee_kept" | "refunded" | "shipping_fee" | "cod_fee", Some(n), _) => (Yen(n).display_ja(), Yen(n).display_ja()),
        ("platform_fee_bp", Some(bp), _) => {
            let p = format!("{}%", kippu_domain::money::percent_of_bp(bp));
            (p.clone(), p)
        }
        (_, _, Some(b)) => (if b { "はい" } else { "いいえ" }.into(), if b { "yes" } else { "no" }.into()),
        _ => (text.clone(), text),
    }
}

fn object(json: Option<&str>) -> Map<String, Value> {
    json.and_then(|j| serde_json::from_str::<Value>(j).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
}

/// The entry as a sentence and its changes in words.
pub fn describe(r: &AuditRow) -> Described {
    let (before, after) = (object(r.before_json.as_deref()), object(r.after_json.as_deref()));
    // An order action names itself in the change record; the record's own action is the flow's.
    let (act_ja, act_en) = action_words(after.get("action").and_then(Value::as_str).unwrap_or(&r.action));
    let entity = look_up(ENTITIES, &r.entity).unwrap_or(Label::new("", ""));
    let bulk = after.get("bulk").and_then(Value::as_bool) == Some(true);
    let ja = format!(
        "{} が {}{} に「{}」を行いました{}",
        r.actor_label,
        entity.ja,
        if r.entity_id.is_empty() {
            String::new()
        } else {
            format!(" {}", r.entity_id)
        },
        act_ja,
        if bulk { "（一括処理）" } else { "" }
    );
    let en = format!(
        "{}: {} — {}{}{}",
        r.actor_label,
        act_en,
        entity.en,
        if r.entity_id.is_empty() {
            String::new()
        } else {
            format!(" {}", r.entity_id)
        },
        if bulk { " (bulk)" } else { "" }
    );
    let mut changes = Vec::new();
    let keys = after.keys().chain(before.keys().filter(|k| !after.contains_key(*k)));
    for key in keys {
        if matches!(key.as_str(), "action" | "bulk") {
            continue;
        }
        let (b, a) = (before.get(key), after.get(key));
        if b == a {
            continue;
        }
        let name = look_up(KEYS, key).unwrap_or(Label::new("", ""));
        let (name_ja, name_en) = if name.ja.is_empty() {
            (key.clone(), key.clone())
        } else {
            (name.ja.into(), name.en.into())
        };
        let (a_ja, a_en) = a.map(|v| value_words(key, v)).unwrap_or(("—".into(), "—".into()));
        changes.push(match b {
            Some(b) => {
                let (b_ja, b_en) = value_words(key, b);
                (format!("{name_ja}: {b_ja} → {a_ja}"), format!("{name_en}: {b_en} → {a_en}"))
            }
            None => (format!("{name_ja}: {a_ja}"), format!("{name_en}: {a_en}")),
        });
    }
    Described { ja, en, changes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(action: &str, entity: &str, id: &str, before: Option<&str>, after: Option<&str>) -> AuditRow {
        AuditRow {
            id: 1,
            actor_label: "demo1-admin".into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: id.into(),
            before_json: before.map(str::to_string),
            after_json: after.map(str::to_string),
            at: 0,
        }
    }

    #[test]
    fn an_order_action_reads_as_a_sentence_with_its_statuses_in_words() {
        let d = describe(&row(
            "mark_paid",
            "order",
            "T00000000000039",
            Some(r#"{"status":"unpaid"}"#),
            Some(r#"{"status":"awaiting_send","action":"mark_paid"}"#),
        ));
        assert_eq!(d.ja, "demo1-admin が 受注 T00000000000039 に「入金済みに変更」を行いました");
        assert_eq!(d.en, "demo1-admin: Mark as paid — order T00000000000039");
        assert_eq!(
            d.changes,
            vec![("ステータス: 未入金 → 送信待ち".into(), "Status: Unpaid → Awaiting sending".into())]
        );
    }

    #[test]
    fn amounts_rates_and_unknown_keys_stay_readable() {
        let d = describe(&row(
            "set_fee_rate",
            "merchant",
            "DEMO1",
            Some(r#"{"platform_fee_bp":500}"#),
            Some(r#"{"platform_fee_bp":550,"note":"x"}"#),
        ));
        assert_eq!(d.changes[0].0, "note: x");
        assert_eq!(d.changes[1].0, "手数料率: 5.00% → 5.50%");
        assert!(d.ja.contains("「手数料率の変更」"));
    }

    #[test]
    fn nothing_that_did_not_change_is_listed() {
        let d = describe(&row(
            "use",
            "ticket",
            "W1-01",
            Some(r#"{"usage":"unused"}"#),
            Some(r#"{"usage":"unused"}"#),
        ));
        assert!(d.changes.is_empty());
    }
}

/// Who did it, in words for a history or audit line: the storefront's buyer, an API token by its
/// name, the system's jobs by what they did; a user by their login ID as recorded.
pub fn who(actor_label: &str, english: bool) -> String {
    let pick = |ja: &str, en: &str| if english { en.to_string() } else { ja.to_string() };
    match actor_label {
        "storefront" => pick("購入者（ショップ）", "Buyer (shop)"),
        "system" => pick("システム", "System"),
        "demo" => pick("デモデータ", "Demo data"),
        other => match (other.strip_prefix("api:"), other.strip_prefix("system:")) {
            (Some(name), _) => pick(&format!("API（{name}）"), &format!("API ({name})")),
            (_, Some(job)) => pick(&format!("システム（{job}）"), &format!("System ({job})")),
            _ => other.to_string(),
        },
    }
}

#[cfg(test)]
mod who_tests {
    use super::who;

    #[test]
    fn unattended_actors_are_named_in_words_and_users_by_their_login() {
        assert_eq!(who("storefront", false), "購入者（ショップ）");
        assert_eq!(who("api:受注連携", false), "API（受注連携）");
        assert_eq!(
            who("system:与信期限切れの自動キャンセル", false),
            "システム（与信期限切れの自動キャンセル）"
        );
        assert_eq!(who("demo1-admin", false), "demo1-admin");
        assert_eq!(who("storefront", true), "Buyer (shop)");
    }
}
