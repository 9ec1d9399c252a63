//! The 定期 emails: the merchant told of a child order the intake refused.

use super::templates::TemplateDef;

pub const SUBSCRIPTION_CHILD_FAILED: &str = "subscription_child_failed";

const VARS: &[(&str, &str, &str)] = &[
    ("merchant_name", "加盟店名", "さくら商店"),
    ("subscription_id", "定期マスタID", "12"),
    ("customer_name", "顧客名", "山田 花子"),
    ("due_date", "お届け予定日", "2026-12-10"),
    ("reason", "作成できなかった理由", "カードが承認されませんでした"),
    ("next_date", "次回お届け日", "2027-01-10"),
    (
        "subscription_url",
        "定期マスタ情報のURL",
        "https://example.jp/callcenter/subscriptions/12",
    ),
];

pub const SUBSCRIPTION_DEFS: &[TemplateDef] = &[TemplateDef {
    key: SUBSCRIPTION_CHILD_FAILED,
    label_ja: "定期子受注の作成失敗（加盟店宛）",
    label_en: "Subscription child order refused (to the merchant)",
    placeholders: VARS,
    subject: "【{{ merchant_name }}】定期受注を作成できませんでした（定期マスタ{{ subscription_id }}）",
    body: "{{ merchant_name }} ご担当者様\n\n下記の定期マスタの子受注を作成できませんでした。\n\n\
定期マスタID: {{ subscription_id }}\n顧客名: {{ customer_name }} 様\nお届け予定日: {{ due_date }}\n理由: {{ reason }}\n\n\
定期マスタは継続しています。次回お届け日: {{ next_date }}\n定期マスタ情報: {{ subscription_url }}\n",
}];
