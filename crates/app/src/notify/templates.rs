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

pub const DEFS: &[TemplateDef] = &[TemplateDef {
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
}];

pub fn def(key: &str) -> Option<&'static TemplateDef> {
    DEFS.iter().find(|d| d.key == key)
}

pub struct Effective {
    pub subject: String,
    pub body: String,
    pub overridden: bool,
}

/// The text that applies for `merchant`: its own override, a platform override, or the default.
pub async fn effective(
    conn: &mut AnyConnection,
    merchant: Option<MerchantId>,
    key: &str,
) -> Result<Effective> {
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
) -> Result<String> {
    env.render_str(src, vars).map_err(|e| {
        let line = e.line().map(|l| format!("{l}行目: ")).unwrap_or_default();
        AppError::Invalid(FieldError::new(
            field,
            format!("{line}{}", e.detail().unwrap_or(&e.to_string())),
        ))
    })
}

/// Renders subject and body with `vars`. A subject is one line, whatever the template did.
pub fn render(subject: &str, body: &str, vars: &serde_json::Value) -> Result<(String, String)> {
    let env = env();
    let s = render_one(&env, "subject", subject, vars)?;
    let b = render_one(&env, "body", body, vars)?;
    Ok((s.lines().next().unwrap_or("").trim().to_string(), b))
}

/// Renders a template with the sample values of its placeholders: what the editor's preview
/// shows, and the check that refuses a template with an unknown placeholder or a syntax error.
pub fn preview(d: &TemplateDef, subject: &str, body: &str) -> Result<(String, String)> {
    if subject.trim().is_empty() {
        return Err(FieldError::new("subject", "件名を入力してください").into());
    }
    if subject.chars().count() > 200 {
        return Err(FieldError::new("subject", "件名は200文字以内にしてください").into());
    }
    if body.len() > 20_000 {
        return Err(FieldError::new("body", "本文は20,000文字以内にしてください").into());
    }
    let vars: serde_json::Map<String, serde_json::Value> = d
        .placeholders
        .iter()
        .map(|(k, _, sample)| (k.to_string(), serde_json::Value::String(sample.to_string())))
        .collect();
    render(subject, body, &serde_json::Value::Object(vars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_render_with_their_samples() {
        for d in DEFS {
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
