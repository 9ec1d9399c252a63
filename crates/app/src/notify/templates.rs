//! Email templates: built-in defaults in code, overridable per merchant in the database.
//! Templates use MiniJinja syntax (`{{ order_number }}`) in a sandbox with strict undefined
//! variables, so a misspelt placeholder is refused when the template is saved, not discovered
//! in a customer's inbox.

use crate::{AppError, Result};
use kippu_domain::MerchantId;
use kippu_domain::validate::FieldError;
use kippu_store::{AnyConnection, templates as repo};

/// A kind of email kippu sends, with its default text and the placeholders it offers.
pub struct TemplateDef {
    pub key: &'static str,
    pub label_ja: &'static str,
    pub label_en: &'static str,
    /// (placeholder, meaning in Japanese, sample value for previews and validation)
    pub placeholders: &'static [(&'static str, &'static str, &'static str)],
    pub subject: &'static str,
    pub body: &'static str,
}

pub const PASSWORD_RESET: &str = "password_reset";
pub const ACCOUNT_LOCKED: &str = "account_locked";
pub const USER_INVITE: &str = "user_invite";
pub const MERCHANT_WELCOME: &str = "merchant_welcome";
pub const ORDER_NOTIFICATION: &str = "order_notification";
pub const ORDER_CONFIRMATION: &str = "order_confirmation";
pub const DEPOSIT_NOTICE: &str = "deposit_notice";
pub const PAYMENT_CONFIRMED: &str = "payment_confirmed";
pub const THANKS: &str = "thanks";
pub const TICKET_SEND: &str = "ticket_send";
pub const AUTH_EXPIRY_WARNING: &str = "auth_expiry_warning";
pub const TICKET_TRANSFERRED: &str = "ticket_transferred";
pub const ORDER_CANCELLED: &str = "order_cancelled";
pub const NEW_BOOKING: &str = "new_booking";
pub const BOOKING_CANCELLED_NOTICE: &str = "booking_cancelled_notice";
pub const RESERVATION_CANCELLED: &str = "reservation_cancelled";
pub const PAYMENT_REMINDER: &str = "payment_reminder";

/// The placeholders every order email offers, plus the extras of one template.
macro_rules! order_vars {
    ($($extra:expr),* $(,)?) => {{
        const V: &[(&str, &str, &str)] = &[
            ("merchant_name", "加盟店名", "さくら劇場"),
            ("order_number", "受注番号", "T00000001641142"),
            ("customer_name", "注文者名", "山田 花子"),
            ("ordered_at", "ご注文日時", "2026-11-24 10:00"),
            ("amount", "受注金額（税込）", "4,000円"),
            ("payment_method", "お支払い方法（お客様向けの言葉: クレジットカード・銀行振込・現地払い）", "クレジットカード"),
            ("payment_flow", "決済種別（加盟店向け: カードのモードや振込先口座まで）", "クレジットカード（仮実同時モード）"),
            ("items", "ご注文内容（商品名 × 数量）", "一般入場券 × 2"),
            ("visit_date", "来店日（予約のみ）", "2026-12-10"),
            ("time_slot", "時間枠（予約のみ）", "12:00"),
            ("party_size", "人数（予約のみ）", "2名"),
            ("eticket_id", "6桁のeチケットID（予約のみ）", "482913"),
            (
                "visit",
                "ご利用日（会議室・レンタルコートは日付と時間枠、宿泊はチェックイン〜チェックアウトと泊数）",
                "2026/12/24(木)〜2026/12/26(土) 2泊"
            ),
            ("channel", "販売チャネル", "自社サイト"),
            (
                "payment_instructions",
                "お支払いについて（銀行振込の振込先口座・振込期限）",
                "振込先口座: さくら銀行 本店 普通 1234567 カ）サクラ\n振込期限: 2026/12/14(月) 23:59"
            ),
            $($extra),*
        ];
        V
    }};
}

pub const DEFS: &[TemplateDef] = &[
    TemplateDef {
        key: AUTH_EXPIRY_WARNING,
        label_ja: "与信期限のお知らせ（加盟店ユーザー宛）",
        label_en: "Card authorizations about to expire (to every merchant user)",
        placeholders: &[
            ("merchant_name", "加盟店名", "さくら劇場"),
            ("count", "件数", "2"),
            (
                "orders",
                "受注の一覧（受注番号・注文者・金額・与信期限・残り日数）",
                "T00000001641142 山田 花子様 4,000円 与信期限 2026/12/19(土) 10:00（残り5日）",
            ),
            ("release_days", "期限後、自動でキャンセルされるまでの日数", "7"),
        ],
        subject: "【kippu】与信期限が近い受注があります（{{ count }}件）",
        body: "{{ merchant_name }} ご担当者様\n\nクレジットカードの与信（与信日から25日）の期限が近い受注があります。\n\
期限を過ぎると実決済できません。実決済（ウェブチケット受注管理の「実決済処理を実行する」）をお願いします。\n\n\
{{ orders }}\n\n期限を過ぎても実決済もキャンセルもされない受注は、期限の{{ release_days }}日後に自動でキャンセルされ、\
与信は取り消され、在庫は販売に戻ります。\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: TICKET_TRANSFERRED,
        label_ja: "チケット譲渡のお知らせ（譲渡先宛）",
        label_en: "Ticket transferred (to the new holder)",
        placeholders: &[
            ("name", "譲渡先の氏名", "鈴木 一郎"),
            ("from_name", "譲渡元の氏名", "山田 花子"),
            ("merchant_name", "加盟店名", "さくら劇場"),
            ("product_name", "商品名", "一般入場券"),
            ("ticket_number", "チケット番号", "W00000001641142-01"),
            ("ticket_url", "チケットとQRコードのページ", "https://kippu.example/my/ticket/XXXX"),
        ],
        subject: "【{{ merchant_name }}】{{ from_name }}様からチケットが譲渡されました",
        body: "{{ name }} 様\n\n{{ from_name }}様から、{{ merchant_name }}のチケットが譲渡されました。\n\n\
商品: {{ product_name }}\nチケット番号: {{ ticket_number }}\n\n下記のページでチケットとQRコードをご覧いただけます。\n\
ご利用の際はこのQRコードをご提示ください。\n\n{{ ticket_url }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: MERCHANT_WELCOME,
        label_ja: "加盟店登録のご案内（最初の管理者宛）",
        label_en: "Merchant welcome (to its first admin)",
        placeholders: &[
            ("name", "宛先の氏名", "山田 花子"),
            ("merchant_name", "加盟店名", "さくら劇場"),
            ("merchant_code", "加盟店コード", "SAKURA"),
            ("login_id", "ログインID", "sakura-admin"),
            ("initial_password", "初期パスワード（初回ログイン時に変更）", "Abcd2345Efgh"),
            ("login_url", "ログイン画面のURL", "https://kippu.example/login"),
        ],
        subject: "【kippu】{{ merchant_name }} の加盟店登録が完了しました",
        body: "{{ name }} 様\n\n{{ merchant_name }}（加盟店コード {{ merchant_code }}）を kippu に登録しました。\n\
管理者アカウントで下記からログインしてください。\n\nログイン画面: {{ login_url }}\nログインID: {{ login_id }}\n\
初期パスワード: {{ initial_password }}\n\n初回ログイン時にパスワードの変更をお願いします（8文字以上、数字・英大文字・英小文字を含む）。\n\
ログイン後、設定 → 加盟店情報 で振込先口座を、設定 → ユーザー でスタッフを登録できます。\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: USER_INVITE,
        label_ja: "ユーザー招待",
        label_en: "User invitation",
        placeholders: &[
            ("name", "宛先の氏名", "山田 花子"),
            ("login_id", "ログインID", "sakura-staff"),
            ("merchant_name", "加盟店名", "さくら劇場"),
            (
                "invite_url",
                "パスワード設定用URL（72時間有効・1回限り）",
                "https://kippu.example/password/reset/XXXX",
            ),
            ("expires_at", "有効期限", "2026-11-27 21:00"),
        ],
        subject: "【kippu】{{ merchant_name }} のアカウントのご案内",
        body: "{{ name }} 様\n\n{{ merchant_name }} の kippu アカウントが作成されました。\n\
ログインID: {{ login_id }}\n\n下記のURLからパスワードを設定して、ご利用を始めてください。\n\n{{ invite_url }}\n\n\
このURLの有効期限は {{ expires_at }} まで（72時間）で、1回だけ使えます。\n\
期限が過ぎた場合は、ログイン画面の「パスワードをお忘れの方」から設定できます。\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: PASSWORD_RESET,
        label_ja: "パスワード再設定",
        label_en: "Password reset",
        placeholders: &[
            ("name", "宛先の氏名", "山田 花子"),
            ("login_id", "ログインID", "demo1-admin"),
            (
                "reset_url",
                "再設定用URL（1時間有効・1回限り）",
                "https://kippu.example/password/reset/XXXX",
            ),
            ("expires_at", "有効期限", "2026-11-24 21:00"),
        ],
        subject: "【kippu】パスワード再設定のご案内",
        body: "{{ name }} 様\n\nログインID {{ login_id }} のパスワード再設定を受け付けました。\n\
下記のURLから新しいパスワードを設定してください。\n\n{{ reset_url }}\n\n\
このURLの有効期限は {{ expires_at }} まで（1時間）で、1回だけ使えます。\n\
お心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: ACCOUNT_LOCKED,
        label_ja: "アカウントのロック",
        label_en: "Account locked",
        placeholders: &[
            ("name", "宛先の氏名", "山田 花子"),
            ("login_id", "ログインID", "demo1-admin"),
            ("locked_until", "ロックの終わる日時", "2026-11-24 20:15"),
            (
                "unlock_url",
                "ロック解除用URL（1時間有効・1回限り）",
                "https://kippu.example/login/unlock/XXXX",
            ),
            ("expires_at", "URLの有効期限", "2026-11-24 21:00"),
        ],
        subject: "【kippu】アカウントがロックされました",
        body: "{{ name }} 様\n\nログインID {{ login_id }} に、多数の場所から誤ったパスワードでのログインが続いたため、\n\
{{ locked_until }} までロックしました。\n\nご本人であれば、下記のURLからすぐにロックを解除できます。\n\n{{ unlock_url }}\n\n\
このURLの有効期限は {{ expires_at }} まで（1時間）で、1回だけ使えます。\n\
お心当たりのない場合は、パスワードの変更をお勧めします。\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: ORDER_NOTIFICATION,
        label_ja: "受注通知（加盟店宛）",
        label_en: "New order (to the merchant)",
        placeholders: order_vars![(
            "receipt_url",
            "店頭払い入金照合URL（現地払いのみ）",
            "https://kippu.example/orders/T00000001641142/receive"
        )],
        subject: "受注通知【注文番号{{ order_number }}】{{ customer_name }}様より注文がありました。",
        body: "{{ merchant_name }} ご担当者様\n\n{{ customer_name }}様より注文がありました。\n\n\
受注番号: {{ order_number }}\nご注文日時: {{ ordered_at }}\nご注文内容: {{ items }}\n{% if visit %}ご利用日: {{ visit }}\n{% endif %}受注金額: {{ amount }}\n決済種別: {{ payment_flow }}\n\
{% if receipt_url %}\n店頭払い入金照合URL:\n{{ receipt_url }}\n{% endif %}\n-- \nkippu\n",
    },
    TemplateDef {
        key: ORDER_CONFIRMATION,
        label_ja: "ご注文確認（購入者宛）",
        label_en: "Order confirmation (to the buyer)",
        placeholders: order_vars![
            ("slip_url", "オンライン伝票URL（現地払いのみ）", "https://kippu.example/slip/XXXX"),
            ("tickets_url", "マイウェブチケットURL", "https://kippu.example/my/tickets/XXXX")
        ],
        subject: "【{{ merchant_name }}】ご注文ありがとうございます（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\n{{ merchant_name }}をご利用いただき、ありがとうございます。\nご注文を承りました。\n\n\
受注番号: {{ order_number }}\nご注文内容: {{ items }}\n{% if visit %}ご利用日: {{ visit }}\n{% endif %}お支払い金額: {{ amount }}\nお支払い方法: {{ payment_method }}\n\
{% if eticket_id %}\n来店日: {{ visit_date }} {{ time_slot }}\n人数: {{ party_size }}\neチケットID: {{ eticket_id }}\n\
ご来店時に下記のページのQRコード、または6桁のeチケットIDをご提示ください。\n{% endif %}\
{% if slip_url %}\n現地で下記のオンライン伝票を提示してお支払いください。\nオンライン伝票URL: {{ slip_url }}\n{% endif %}\
{% if payment_instructions %}\n■お支払いについて\n{{ payment_instructions }}\n期限を過ぎますとご注文はキャンセルとなります。\n{% endif %}\
\nご注文の確認: {{ tickets_url }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: PAYMENT_REMINDER,
        label_ja: "お振込み期限のお知らせ（購入者宛）",
        label_en: "Transfer reminder (to the buyer)",
        placeholders: order_vars![("tickets_url", "マイウェブチケットURL", "https://kippu.example/my/tickets/XXXX")],
        subject: "【{{ merchant_name }}】お振込み期限が近づいております（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nご注文代金のご入金がまだ確認できておりません。\n期限までにお振込みをお願いいたします。\n\n\
受注番号: {{ order_number }}\nご注文内容: {{ items }}\nお支払い金額: {{ amount }}\n\n■お支払いについて\n{{ payment_instructions }}\n\n\
期限を過ぎますとご注文はキャンセルとなります。行き違いでお振込み済みの場合はご容赦ください。\n\nご注文の確認: {{ tickets_url }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: DEPOSIT_NOTICE,
        label_ja: "入金通知（加盟店宛）",
        label_en: "Deposit notice (to the merchant)",
        placeholders: order_vars![("paid_at", "入金確認日時", "2026-11-25 11:00")],
        subject: "入金通知 【注文番号{{ order_number }}】",
        body: "{{ merchant_name }} ご担当者様\n\n事務局口座へのご入金を確認しました。\n\n受注番号: {{ order_number }}\n\
注文者: {{ customer_name }} 様\n受注金額: {{ amount }}\n入金確認日時: {{ paid_at }}\n\n\
ウェブチケット受注管理から送信処理を行ってください。\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: PAYMENT_CONFIRMED,
        label_ja: "ご入金を確認いたしました（購入者宛）",
        label_en: "Payment confirmed (to the buyer)",
        placeholders: order_vars![],
        subject: "【{{ merchant_name }}】ご入金を確認いたしました",
        body: "{{ customer_name }} 様\n\n受注番号 {{ order_number }} のご入金（{{ amount }}）を確認いたしました。\n\
ウェブチケットの送信まで今しばらくお待ちください。\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: THANKS,
        label_ja: "この度はお買い上げ誠にありがとうございます（購入者宛）",
        label_en: "Thank you for your purchase (to the buyer)",
        placeholders: order_vars![("tickets_url", "マイウェブチケットURL", "https://kippu.example/my/tickets/XXXX")],
        subject: "【{{ merchant_name }}】この度はお買い上げ誠にありがとうございます",
        body: "{{ customer_name }} 様\n\nこの度はお買い上げ誠にありがとうございます。\n\
受注番号 {{ order_number }} のお支払い（{{ amount }}）を現地にて承りました。\n\nウェブチケット: {{ tickets_url }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: TICKET_SEND,
        label_ja: "ウェブチケ送信テンプレート",
        label_en: "Web-ticket delivery",
        placeholders: order_vars![
            (
                "tickets",
                "チケットごとの番号・使用者名・URL（複数行）",
                "W-T00000001641142-01 山田 花子 https://kippu.example/my/tickets/XXXX#1"
            ),
            (
                "tickets_url",
                "マイウェブチケットURL（QRコードを表示）",
                "https://kippu.example/my/tickets/XXXX"
            )
        ],
        subject: "【{{ merchant_name }}】ウェブチケットのお届け（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nご注文いただいたウェブチケットをお届けします。\n\
{% if visit %}ご利用日: {{ visit }}\n{% endif %}当日は下記のページのQRコードをご提示ください。\n\n{{ tickets_url }}\n\n{{ tickets }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: ORDER_CANCELLED,
        label_ja: "ご注文キャンセルのお知らせ（購入者宛）",
        label_en: "Order cancelled (to the buyer)",
        placeholders: order_vars![("refund", "ご返金額", "4,000円")],
        subject: "【{{ merchant_name }}】ご注文キャンセルのお知らせ（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\n受注番号 {{ order_number }} のご注文はキャンセルされました。\n\
{% if refund %}ご返金額: {{ refund }}\n{% endif %}\nまたのご利用をお待ちしております。\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: NEW_BOOKING,
        label_ja: "新着予約通知（加盟店ユーザー宛）",
        label_en: "New booking (to every merchant user)",
        placeholders: order_vars![],
        subject: "新着予約【{{ visit_date }} {{ party_size }}】{{ customer_name }}様（注文番号{{ order_number }}）",
        body: "{{ merchant_name }} ご担当者様\n\n新しい予約が入りました。\n\n受注番号: {{ order_number }}\n販売チャネル: {{ channel }}\n\
プラン: {{ items }}\n来店日: {{ visit_date }} {{ time_slot }}\n人数: {{ party_size }}\n予約者: {{ customer_name }} 様\n\
金額: {{ amount }}（{{ payment_flow }}）\neチケットID: {{ eticket_id }}\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: BOOKING_CANCELLED_NOTICE,
        label_ja: "キャンセル通知（加盟店ユーザー宛）",
        label_en: "Booking cancelled (to every merchant user)",
        placeholders: order_vars![
            ("cancelled_by", "キャンセルした人（お客様／加盟店）", "お客様"),
            ("cancel_reason", "キャンセル理由", "天候"),
            ("cancellation_fee", "キャンセル料（加盟店の受取分）", "2,200円"),
            ("refund", "ご返金額", "2,200円")
        ],
        subject: "キャンセル通知【{{ visit_date }}】{{ customer_name }}様（注文番号{{ order_number }}）",
        body: "{{ merchant_name }} ご担当者様\n\n予約がキャンセルされました（{{ cancelled_by }}）。\n\n受注番号: {{ order_number }}\n\
販売チャネル: {{ channel }}\nプラン: {{ items }}\n来店日: {{ visit_date }} {{ time_slot }}\n人数: {{ party_size }}\n\
予約者: {{ customer_name }} 様\n{% if cancel_reason %}理由: {{ cancel_reason }}\n{% endif %}\
{% if cancellation_fee %}キャンセル料: {{ cancellation_fee }}\n{% endif %}{% if refund %}ご返金額: {{ refund }}\n{% endif %}\n-- \nkippu\n",
    },
    TemplateDef {
        key: RESERVATION_CANCELLED,
        label_ja: "予約キャンセルのお知らせ（購入者宛）",
        label_en: "Booking cancelled (to the buyer)",
        placeholders: order_vars![
            ("cancelled_by", "キャンセルした人（お客様／加盟店）", "加盟店"),
            ("cancel_reason", "キャンセル理由（加盟店によるキャンセル）", "天候"),
            ("cancellation_fee", "キャンセル料", "2,200円"),
            ("refund", "ご返金額", "2,200円")
        ],
        subject: "【{{ merchant_name }}】ご予約キャンセルのお知らせ（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\n下記のご予約はキャンセルされました。\n\n受注番号: {{ order_number }}\nプラン: {{ items }}\n\
来店日: {{ visit_date }} {{ time_slot }}\n人数: {{ party_size }}\n\
{% if cancel_reason %}キャンセル理由: {{ cancel_reason }}\n{% endif %}\
{% if cancellation_fee %}キャンセル料: {{ cancellation_fee }}\n{% endif %}{% if refund %}ご返金額: {{ refund }}\n\
返金までにかかる期間はお支払い方法によって異なります。\n{% endif %}\nまたのご利用をお待ちしております。\n\n-- \n{{ merchant_name }}\n",
    },
];

/// Every email kippu sends: the web-ticket, reservation and account ones, then the goods ones.
pub fn all() -> impl Iterator<Item = &'static TemplateDef> {
    DEFS.iter()
        .chain(super::goods_templates::GOODS_DEFS)
        .chain(super::subscription_templates::SUBSCRIPTION_DEFS)
}

pub fn def(key: &str) -> Option<&'static TemplateDef> {
    all().find(|d| d.key == key)
}

pub struct Effective {
    pub subject: String,
    pub body: String,
    pub overridden: bool,
}

/// The text that applies for `merchant`: its own override, a platform override, or the default.
pub async fn effective(conn: &mut AnyConnection, merchant: Option<MerchantId>, key: &str) -> Result<Effective> {
    let d = def(key).ok_or_else(|| AppError::Internal(format!("unknown email template {key}")))?;
    Ok(match repo::find(conn, merchant, key).await? {
        Some(row) => Effective {
            subject: row.subject,
            body: row.body,
            overridden: true,
        },
        None => Effective {
            subject: d.subject.to_string(),
            body: d.body.to_string(),
            overridden: false,
        },
    })
}

fn env() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // Plain-text email: no HTML escaping.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env
}

fn render_one(
    env: &minijinja::Environment,
    field: &'static str,
    src: &str,
    vars: &serde_json::Value,
) -> std::result::Result<String, FieldError> {
    env.render_str(src, vars).map_err(|e| {
        let line = e.line().map(|l| format!("{l}行目: ")).unwrap_or_default();
        FieldError::new(field, format!("{line}{}", e.detail().unwrap_or(&e.to_string())))
    })
}

/// Renders subject and body with `vars`. A subject is one line, whatever the template did.
pub fn render(subject: &str, body: &str, vars: &serde_json::Value) -> Result<(String, String)> {
    let env = env();
    let s = render_one(&env, "subject", subject, vars)?;
    let b = render_one(&env, "body", body, vars)?;
    Ok((first_line(&s), b))
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Renders a template with the sample values of its placeholders: what the editor's preview
/// shows, and the check that refuses a template with an unknown placeholder or a syntax error
/// (in the subject and the body at once, each named).
pub fn preview(d: &TemplateDef, subject: &str, body: &str) -> Result<(String, String)> {
    let vars: serde_json::Map<String, serde_json::Value> = d
        .placeholders
        .iter()
        .map(|(k, _, sample)| (k.to_string(), serde_json::Value::String(sample.to_string())))
        .collect();
    let vars = serde_json::Value::Object(vars);
    let env = env();
    let mut c = kippu_domain::validate::Collect::default();
    let s = if subject.trim().is_empty() {
        c.push(FieldError::new("subject", "件名を入力してください"));
        None
    } else if subject.chars().count() > 200 {
        c.push(FieldError::new("subject", "件名は200文字以内にしてください"));
        None
    } else {
        c.take(render_one(&env, "subject", subject, &vars))
    };
    let b = if body.len() > 20_000 {
        c.push(FieldError::new("body", "本文は20,000文字以内にしてください"));
        None
    } else {
        c.take(render_one(&env, "body", body, &vars))
    };
    c.finish()?;
    match (s, b) {
        (Some(s), Some(b)) => Ok((first_line(&s), b)),
        _ => unreachable!("Collect::finish fails when a field failed"),
    }
}

/// One email of the template list: whether the actor's scope has its own wording.
pub struct TemplateStatus {
    pub def: &'static TemplateDef,
    pub overridden: bool,
}

/// Every email kippu sends, and which of them the actor's merchant (or the platform) reworded.
pub async fn overview(app: &crate::App, actor: &crate::Actor) -> Result<Vec<TemplateStatus>> {
    // 管理者専用: what the settings pages show is the administrators' (issue 25 item 8).
    actor.require_settings_rights()?;
    let scope = actor.scope()?;
    let mut conn = app.store.conn().await?;
    let mut out = Vec::new();
    for def in all() {
        let overridden = repo::find_own(&mut conn, scope, def.key).await?.is_some();
        out.push(TemplateStatus { def, overridden });
    }
    Ok(out)
}

/// The wording the actor's next email of `key` will use.
pub async fn effective_for(app: &crate::App, actor: &crate::Actor, key: &str) -> Result<Effective> {
    let scope = actor.scope()?;
    let mut conn = app.store.conn().await?;
    effective(&mut conn, scope, key).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_render_with_their_samples() {
        for d in all() {
            let (s, b) = preview(d, d.subject, d.body).unwrap();
            assert!(!s.is_empty());
            assert!(!b.contains("{{"), "{} left a placeholder unrendered", d.key);
        }
    }

    #[test]
    fn unknown_placeholder_is_refused_with_its_field() {
        let d = def(PASSWORD_RESET).unwrap();
        let err = preview(d, "件名", "こんにちは {{ nme }}").unwrap_err();
        match err {
            AppError::Invalid(f) => assert_eq!(f.field, "body"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(preview(d, "{% if %}", "x").is_err());
    }

    #[test]
    fn values_are_not_html_escaped() {
        let (_, b) = render("s", "{{ x }}", &serde_json::json!({"x": "<山田 & 佐藤>"})).unwrap();
        assert_eq!(b, "<山田 & 佐藤>");
    }
}
