//! 設定: email templates, the outbox, the audit log, accounts, stores and terminals.

use super::{ok, render};
use crate::chrome::Chrome;
use crate::ctx::{Ctx, SignedIn};
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::i18n::Lang;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::notify::OutboxRow;
use kippu_app::notify::{self, templates};
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "settings.html")]
struct IndexPage {
    c: Chrome,
    links: Vec<(&'static str, &'static str)>,
}

pub async fn index(s: SignedIn) -> Result<Response, WebError> {
    let t = s.ctx.t();
    // The settings are the administrators' (管理者専用, decided by `Actor::require_settings_rights`
    // as every settings use case decides it); anyone else finds their own account here.
    if s.user.actor.require_settings_rights().is_err() {
        return ok(IndexPage {
            c: Chrome::signed_in(&s.ctx, "nav.settings"),
            links: vec![("/password/change", t.s("account.password_change"))],
        });
    }
    let mut links = vec![
        ("/settings/templates", t.s("settings.templates")),
        ("/settings/outbox", t.s("settings.outbox")),
        ("/settings/audit", t.s("settings.audit")),
        ("/settings/users", t.s("settings.users")),
    ];
    if s.user.actor.is_platform() {
        links.push(("/platform/bank-account", t.s("platform_bank.title")));
    } else {
        if kippu_app::merchants::profile::owns_profile(&s.user.actor) {
            links.push(("/settings/merchant", t.s("profile.title")));
            links.push(("/settings/payment", t.s("payment.title")));
        }
        links.push(("/settings/stores", t.s("settings.stores")));
        links.push(("/settings/goods", t.s("goods.settings_title")));
    }
    ok(IndexPage {
        c: Chrome::signed_in(&s.ctx, "nav.settings"),
        links,
    })
}

#[derive(Template)]
#[template(path = "templates_list.html")]
struct TemplatesPage {
    c: Chrome,
    rows: Vec<(&'static str, &'static str, bool)>,
}

fn label(lang: Lang, d: &templates::TemplateDef) -> &'static str {
    match lang {
        Lang::Ja => d.label_ja,
        Lang::En => d.label_en,
    }
}

pub async fn templates(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let rows = templates::overview(&app, &s.user.actor)
        .await?
        .into_iter()
        .map(|t| (t.def.key, label(s.ctx.lang, t.def), t.overridden))
        .collect();
    ok(TemplatesPage {
        c: Chrome::signed_in(&s.ctx, "settings.templates"),
        rows,
    })
}

#[derive(Template)]
#[template(path = "template_edit.html")]
struct TemplatePage {
    c: Chrome,
    key: &'static str,
    label: &'static str,
    subject: String,
    body: String,
    overridden: bool,
    can_edit: bool,
    saved: bool,
    errors: FormErrors,
    placeholders: &'static [(&'static str, &'static str, &'static str)],
    preview: Option<(String, String)>,
}

async fn template_view(app: &App, s: &SignedIn, key: &str, saved: bool) -> Result<TemplatePage, WebError> {
    let d = templates::def(key).ok_or(WebError::NotFound)?;
    let eff = templates::effective_for(app, &s.user.actor, key).await?;
    let preview = templates::preview(d, &eff.subject, &eff.body).ok();
    Ok(TemplatePage {
        c: Chrome::signed_in(&s.ctx, "settings.templates"),
        key: d.key,
        label: label(s.ctx.lang, d),
        subject: eff.subject,
        body: eff.body,
        overridden: eff.overridden,
        can_edit: s.user.actor.role.can_edit_merchant_settings(s.user.actor.admin_settings),
        saved,
        errors: FormErrors::default(),
        placeholders: d.placeholders,
        preview,
    })
}

pub async fn template_page(State(app): State<App>, s: SignedIn, Path(key): Path<String>) -> Result<Response, WebError> {
    ok(template_view(&app, &s, &key, false).await?)
}

#[derive(Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    action: String,
}

pub async fn template_save(
    State(app): State<App>,
    s: SignedIn,
    Path(key): Path<String>,
    Form(f): Form<TemplateForm>,
) -> Result<Response, WebError> {
    let result = if f.action == "reset" {
        notify::reset_template(&app, &s.user.actor, &key).await
    } else {
        notify::save_template(&app, &s.user.actor, &key, &f.subject, &f.body).await
    };
    match result {
        Ok(()) => ok(template_view(&app, &s, &key, true).await?),
        Err(AppError::Invalid(fe)) => {
            let mut page = template_view(&app, &s, &key, false).await?;
            page.errors = FormErrors::by_field(&fe);
            page.subject = f.subject;
            page.body = f.body;
            page.preview = None;
            render(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct OutboxView {
    id: i64,
    created: String,
    to: String,
    subject: String,
    status: String,
    status_label: &'static str,
    attempts: i64,
    sent: String,
    error: String,
}

fn outbox_view(ctx: &Ctx, r: OutboxRow) -> OutboxView {
    let t = ctx.t();
    let status_label = match r.status.as_str() {
        "queued" => t.s("outbox.queued"),
        "sending" => t.s("outbox.sending"),
        "retrying" => t.s("outbox.retrying"),
        "failed" => t.s("outbox.failed"),
        _ => t.s("outbox.status_sent"),
    };
    OutboxView {
        id: r.id,
        created: t.datetime_ms(r.created_at),
        to: r.to_addr,
        subject: r.subject,
        status_label,
        status: r.status,
        attempts: r.attempts,
        sent: r.sent_at.map(|at| t.datetime_ms(at)).unwrap_or_default(),
        error: r.last_error,
    }
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    c: Chrome,
    rows: Vec<OutboxView>,
}

#[derive(Template)]
#[template(path = "outbox_rows.html")]
struct OutboxRows {
    c: Chrome,
    rows: Vec<OutboxView>,
}

async fn outbox_rows_of(app: &App, s: &SignedIn) -> Result<Vec<OutboxView>, WebError> {
    let rows = notify::outbox(app, &s.user.actor, 200).await?;
    Ok(rows.into_iter().map(|r| outbox_view(&s.ctx, r)).collect())
}

pub async fn outbox(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let rows = outbox_rows_of(&app, &s).await?;
    ok(OutboxPage {
        c: Chrome::signed_in(&s.ctx, "settings.outbox"),
        rows,
    })
}

/// The table alone, for htmx's periodic refresh.
pub async fn outbox_rows(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let rows = outbox_rows_of(&app, &s).await?;
    ok(OutboxRows {
        c: Chrome::signed_in(&s.ctx, "settings.outbox"),
        rows,
    })
}

pub async fn outbox_retry(State(app): State<App>, s: SignedIn, Path(id): Path<i64>) -> Result<Response, WebError> {
    notify::retry(&app, &s.user.actor, id).await?;
    Ok(flash::redirect(
        s.ctx.secure_cookies,
        "/settings/outbox",
        Flash::done(s.ctx.t().s("flash.mail_retry")),
    ))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    /// (when, sentence, changes), newest first.
    rows: Vec<(String, String, Vec<String>)>,
}

/// 操作履歴: each entry a sentence with what changed, before → after, in words.
pub async fn audit(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    let rows = kippu_app::audit::latest(&app, &s.user.actor, 200).await?;
    let t = s.ctx.t();
    let en = t.lang == crate::i18n::Lang::En;
    ok(AuditPage {
        c: Chrome::signed_in(&s.ctx, "settings.audit"),
        rows: rows
            .iter()
            .map(|r| {
                let d = kippu_app::audit_words::describe(r);
                let changes = d.changes.into_iter().map(|(ja, e)| if en { e } else { ja }).collect();
                (t.datetime_ms(r.at), if en { d.en } else { d.ja }, changes)
            })
            .collect(),
    })
}
