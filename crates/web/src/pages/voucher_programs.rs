//! 事務局 (platform operator): voucher programmes — create one (cycle, validity, voucher
//! types), enrol merchants, grant balances one by one or by a CSV of holders (all or nothing),
//! and each programme's dashboard (issued, spent, cancelled, outstanding) with its settlements.

use crate::chrome::Chrome;
use crate::ctx::SignedIn;
use crate::error::WebError;
use crate::flash::{self, Flash};
use crate::form_errors::FormErrors;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use kippu_app::csv_import::LineError;
use kippu_app::vouchers::holders::{self, GrantInput, Granted};
use kippu_app::vouchers::programs::{self, ProgramInput};
use kippu_app::vouchers::settlement;
use kippu_app::{App, AppError};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ProgramForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    cycle: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    /// `CODE:名前` per line.
    #[serde(default)]
    types: String,
}

pub struct ProgramLine {
    code: String,
    name: String,
    cycle_text: String,
    validity: String,
    merchants: String,
}

#[derive(Template)]
#[template(path = "voucher_programs.html")]
struct ProgramsPage {
    c: Chrome,
    programs: Vec<ProgramLine>,
    f: ProgramForm,
    errors: FormErrors,
}

async fn programs_page(app: &App, s: &SignedIn, status: StatusCode, f: ProgramForm, errors: FormErrors) -> Result<Response, WebError> {
    let programs = programs::list(app, &s.user.actor)
        .await?
        .into_iter()
        .map(|(p, merchants)| ProgramLine {
            validity: if p.valid_from.is_empty() && p.valid_to.is_empty() {
                String::new()
            } else {
                format!("{}〜{}", p.valid_from, p.valid_to)
            },
            cycle_text: p.cycle.describe_ja(),
            code: p.code,
            name: p.name,
            merchants: merchants.join(", "),
        })
        .collect();
    render(
        status,
        ProgramsPage {
            c: Chrome::signed_in(&s.ctx, "nav.voucher_programs"),
            programs,
            f,
            errors,
        },
    )
}

pub async fn list(State(app): State<App>, s: SignedIn) -> Result<Response, WebError> {
    programs_page(&app, &s, StatusCode::OK, ProgramForm::default(), FormErrors::default()).await
}

pub async fn create(State(app): State<App>, s: SignedIn, Form(f): Form<ProgramForm>) -> Result<Response, WebError> {
    let input = ProgramInput {
        code: f.code.clone(),
        name: f.name.clone(),
        cycle: f.cycle.clone(),
        valid_from: f.valid_from.clone(),
        valid_to: f.valid_to.clone(),
        types: f.types.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
    };
    match programs::create(&app, &s.user.actor, &input).await {
        Ok(p) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/platform/vouchers/{}", p.code),
            Flash::done(p.name),
        )),
        Err(AppError::Invalid(e)) => programs_page(&app, &s, StatusCode::UNPROCESSABLE_ENTITY, f, FormErrors::by_field(&e)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voucher_program.html")]
struct ProgramPage {
    c: Chrome,
    code: String,
    cycle_text: String,
    merchants: Vec<String>,
    types: Vec<(String, String)>,
    money: kippu_app::vouchers::ProgramMoney,
    settlements: Vec<(String, kippu_app::vouchers::VoucherSettlementRow)>,
    granted: Vec<Granted>,
    line_errors: Vec<LineError>,
    errors: FormErrors,
}

struct Outcome {
    status: StatusCode,
    granted: Vec<Granted>,
    line_errors: Vec<LineError>,
    errors: FormErrors,
}

impl Outcome {
    fn none() -> Outcome {
        Outcome {
            status: StatusCode::OK,
            granted: Vec::new(),
            line_errors: Vec::new(),
            errors: FormErrors::default(),
        }
    }
}

async fn program_page(app: &App, s: &SignedIn, code: &str, o: Outcome) -> Result<Response, WebError> {
    let (p, money, settlements) = settlement::dashboard(app, &s.user.actor, code).await?;
    let (_, merchants) = programs::get(app, &s.user.actor, code).await?;
    let mut c = Chrome::signed_in(&s.ctx, "nav.voucher_programs");
    c.title = p.name.clone();
    render(
        o.status,
        ProgramPage {
            c,
            code: p.code.clone(),
            cycle_text: p.cycle.describe_ja(),
            merchants,
            types: p.types.iter().map(|t| (t.code.clone(), t.name.clone())).collect(),
            money,
            settlements,
            granted: o.granted,
            line_errors: o.line_errors,
            errors: o.errors,
        },
    )
}

pub async fn show(State(app): State<App>, s: SignedIn, Path(code): Path<String>) -> Result<Response, WebError> {
    program_page(&app, &s, &code, Outcome::none()).await
}

#[derive(Deserialize, Default)]
pub struct EnrolForm {
    #[serde(default)]
    merchant: String,
}

pub async fn enrol(State(app): State<App>, s: SignedIn, Path(code): Path<String>, Form(f): Form<EnrolForm>) -> Result<Response, WebError> {
    match programs::enrol(&app, &s.user.actor, &code, &f.merchant).await {
        Ok(_) => Ok(flash::redirect(
            s.ctx.secure_cookies,
            &format!("/platform/vouchers/{code}"),
            Flash::done(format!("{}: {}", f.merchant.trim(), s.ctx.t().s("vouchers.enrolled"))),
        )),
        Err(AppError::Invalid(e)) => {
            let o = Outcome {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                errors: FormErrors::by_field(&e),
                ..Outcome::none()
            };
            program_page(&app, &s, &code, o).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct GrantForm {
    #[serde(default)]
    holder_name: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    product: String,
}

pub async fn grant(State(app): State<App>, s: SignedIn, Path(code): Path<String>, Form(f): Form<GrantForm>) -> Result<Response, WebError> {
    let input = GrantInput {
        program: code.clone(),
        holder_name: f.holder_name,
        holder_id: None,
        amount: f.amount,
        product: f.product,
        memo: String::new(),
    };
    let o = match holders::grant(&app, &s.user.actor, &input).await {
        Ok(g) => Outcome {
            granted: vec![g],
            ..Outcome::none()
        },
        Err(AppError::Invalid(e)) => Outcome {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: FormErrors::by_field(&e),
            ..Outcome::none()
        },
        Err(e) => return Err(e.into()),
    };
    program_page(&app, &s, &code, o).await
}

/// A holders CSV (multipart; the CSRF token travels in the query string): all or nothing.
pub async fn grant_csv(State(app): State<App>, s: SignedIn, Path(code): Path<String>, mut form: Multipart) -> Result<Response, WebError> {
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|_| WebError::TooLarge)? {
        if field.name() == Some("file") {
            file = Some(field.bytes().await.map_err(|_| WebError::TooLarge)?);
        }
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        let o = Outcome {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            line_errors: vec![LineError::new(0, "ファイル", "CSVファイルを選択してください")],
            ..Outcome::none()
        };
        return program_page(&app, &s, &code, o).await;
    };
    let report = holders::grant_csv(&app, &s.user.actor, &code, &bytes).await?;
    let o = Outcome {
        status: if report.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        granted: report.granted,
        line_errors: report.errors,
        ..Outcome::none()
    };
    program_page(&app, &s, &code, o).await
}
