//! The goods emails of seed 002 as editable templates: サンクスメール at order, ご入金確認メール,
//! 発送通知メール (with each parcel's carrier, tracking number and tracking link) and 受取通知メール
//! for a store pickup.

use super::templates::TemplateDef;

pub const GOODS_THANKS: &str = "goods_thanks";
pub const GOODS_PAYMENT_CONFIRMED: &str = "goods_payment_confirmed";
pub const SHIPPING_NOTICE: &str = "shipping_notice";
pub const PICKUP_NOTICE: &str = "pickup_notice";
pub const GOODS_CANCELLED: &str = "goods_cancelled";
pub const GOODS_REFUNDED: &str = "goods_refunded";
pub const GOODS_ORDER_NOTIFICATION: &str = "goods_order_notification";
pub const GOODS_PAYMENT_REMINDER: &str = "goods_payment_reminder";
pub const GOODS_UNPAID_CANCELLED: &str = "goods_unpaid_cancelled";
pub const GOODS_ORDER_CHANGED: &str = "goods_order_changed";

/// The placeholders of every goods email.
const VARS: &[(&str, &str, &str)] = &[
    ("merchant_name", "加盟店名", "さくら商店"),
    ("order_number", "受注番号", "T00000001641142"),
    ("customer_name", "注文者名", "山田 花子"),
    ("ordered_at", "ご注文日時", "2026-11-24 10:00"),
    ("amount", "ご請求金額（税込・送料込み）", "9,800円"),
    (
        "amount_breakdown",
        "ご請求金額の内訳（商品合計・送料・代引手数料）",
        "商品合計 9,000円 / 送料 800円",
    ),
    (
        "payment_instructions",
        "お支払いについて（コンビニ支払いの受付番号・支払期限、銀行振込の振込先口座・振込期限）",
        "お支払い先: セブン-イレブン、ローソン\n受付番号: 1234-5678-9015\n支払期限: 2026/12/10(木) 23:59",
    ),
    ("payment_method", "お支払い方法", "クレジットカード"),
    ("payment_date", "入金日", "2026-11-25"),
    ("refunded", "ご返金額（累計）", "1,650円"),
    (
        "order_url",
        "ご注文内容のURL（購入者のページ）",
        "https://kippu.example/my/orders/XXXX",
    ),
    (
        "admin_url",
        "受注詳細のURL（加盟店の管理画面）",
        "https://kippu.example/shipping/orders/T00000001641142",
    ),
    (
        "destinations",
        "お届け先ごとの宛名・住所・商品（複数行）",
        "お届け先1: 山田 花子 様 〒111-0032 東京都台東区浅草1-2-3\n  今治タオル × 2",
    ),
    (
        "parcels",
        "発送したお届け先ごとの配送サービス・送り状番号・追跡URL・発送日（複数行）",
        "お届け先1: ヤマト運輸 123456789013 https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=123456789013（発送日 2026/11/26(木)）",
    ),
];

pub const GOODS_DEFS: &[TemplateDef] = &[
    TemplateDef {
        key: GOODS_ORDER_NOTIFICATION,
        label_ja: "受注通知（物販・加盟店宛）",
        label_en: "New order (goods, to the merchant)",
        placeholders: VARS,
        subject: "受注通知【注文番号{{ order_number }}】{{ customer_name }}様より注文がありました。",
        body: "{{ merchant_name }} ご担当者様\n\n{{ customer_name }}様より商品のご注文がありました。\n\n\
受注番号: {{ order_number }}\nご注文日時: {{ ordered_at }}\n受注金額: {{ amount }}\nお支払い方法: {{ payment_method }}\n\n{{ destinations }}\n\n\
受注詳細: {{ admin_url }}\n\n-- \nkippu\n",
    },
    TemplateDef {
        key: GOODS_THANKS,
        label_ja: "サンクスメール（物販・購入者宛）",
        label_en: "Thank-you email (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】ご注文ありがとうございます（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\n{{ merchant_name }}をご利用いただき、ありがとうございます。\nご注文を承りました。\n\n\
受注番号: {{ order_number }}\nご注文日時: {{ ordered_at }}\nご請求金額: {{ amount }}（{{ amount_breakdown }}）\nお支払い方法: {{ payment_method }}\n\
{% if payment_instructions %}\n■お支払いについて\n{{ payment_instructions }}\n期限を過ぎますとご注文はキャンセルとなります。\n{% endif %}\n{{ destinations }}\n\n\
ご注文内容と発送状況: {{ order_url }}\n\n発送いたしましたら、あらためてご連絡いたします。\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: GOODS_PAYMENT_REMINDER,
        label_ja: "お支払い期限のお知らせ（物販・購入者宛）",
        label_en: "Payment reminder (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】お支払い期限が近づいております（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nご注文代金のご入金がまだ確認できておりません。\n期限までにお支払いをお願いいたします。\n\n\
受注番号: {{ order_number }}\nご請求金額: {{ amount }}\nお支払い方法: {{ payment_method }}\n\n■お支払いについて\n{{ payment_instructions }}\n\n\
期限を過ぎますとご注文はキャンセルとなります。行き違いでお支払い済みの場合はご容赦ください。\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: GOODS_ORDER_CHANGED,
        label_ja: "ご注文内容変更のお知らせ（物販・購入者宛）",
        label_en: "Order changed (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】ご注文内容を変更いたしました（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\n{{ merchant_name }}です。ご注文の内容を変更いたしました。\n変更後のご注文内容は次のとおりです。\n\n\
受注番号: {{ order_number }}\nご請求金額: {{ amount }}（{{ amount_breakdown }}）\nお支払い方法: {{ payment_method }}\n\
{% if payment_instructions %}\n■お支払いについて\n{{ payment_instructions }}\nお支払いには、このメールの受付番号・お振込先をお使いください（以前のご案内の受付番号は使えません）。\n期限を過ぎますとご注文はキャンセルとなります。\n{% endif %}\n{{ destinations }}\n\n\
ご注文内容と発送状況: {{ order_url }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: GOODS_UNPAID_CANCELLED,
        label_ja: "お支払い期限切れによるキャンセルのお知らせ（物販・購入者宛）",
        label_en: "Cancelled, not paid in time (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】お支払い期限切れのためご注文をキャンセルいたしました（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nお支払い期限までにご入金が確認できなかったため、ご注文をキャンセルいたしました。\n\n\
受注番号: {{ order_number }}\nご請求金額: {{ amount }}\nお支払い方法: {{ payment_method }}\n\n\
改めてご購入の際は、お手数ですが再度ご注文ください。\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: GOODS_PAYMENT_CONFIRMED,
        label_ja: "ご入金確認メール（物販・購入者宛）",
        label_en: "Payment received (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】ご入金を確認いたしました（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nご入金を確認いたしました。ありがとうございます。\n\n受注番号: {{ order_number }}\n\
ご請求金額: {{ amount }}\n入金日: {{ payment_date }}\n\n商品の発送まで今しばらくお待ちください。\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: SHIPPING_NOTICE,
        label_ja: "発送通知メール（物販・購入者宛）",
        label_en: "Shipping notice (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】商品を発送いたしました（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nご注文の商品を発送いたしました。\n\n受注番号: {{ order_number }}\n\n{{ parcels }}\n\n\
お荷物の状況は上記のURLからご確認いただけます。\nご注文内容: {{ order_url }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: PICKUP_NOTICE,
        label_ja: "受取通知メール（店舗受取・購入者宛）",
        label_en: "Ready for pickup (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】商品のお受け取りありがとうございました（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\n店舗にてご注文の商品をお受け取りいただきました。ありがとうございました。\n\n\
受注番号: {{ order_number }}\n\n{{ destinations }}\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: GOODS_CANCELLED,
        label_ja: "キャンセルのお知らせ（物販・購入者宛）",
        label_en: "Order cancelled (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】ご注文をキャンセルいたしました（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nご注文をキャンセルいたしました。\n\n受注番号: {{ order_number }}\nご請求金額: {{ amount }}\nご返金額: {{ refunded }}\nお支払い方法: {{ payment_method }}\n\nクレジットカードでお支払いの場合、ご返金はカード会社を通じて行われます。\nご不明な点はお問い合わせください。\n\n-- \n{{ merchant_name }}\n",
    },
    TemplateDef {
        key: GOODS_REFUNDED,
        label_ja: "ご返金のお知らせ（物販・購入者宛）",
        label_en: "Refund made (goods, to the buyer)",
        placeholders: VARS,
        subject: "【{{ merchant_name }}】ご返金のお知らせ（注文番号{{ order_number }}）",
        body: "{{ customer_name }} 様\n\nご注文代金の一部をご返金いたしました。\n\n受注番号: {{ order_number }}\nご請求金額: {{ amount }}\nご返金額（累計）: {{ refunded }}\nお支払い方法: {{ payment_method }}\n\n-- \n{{ merchant_name }}\n",
    },
];
