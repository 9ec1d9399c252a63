//! Holders and grants: the platform operator gives a resident a balance (one by one, or a CSV of
//! holders and amounts, all or nothing); the holder signs in by the link's token and sees the
//! balances and the history.

use crate::csv_import::{self, LineError};
use crate::{Actor, App, AppError, Result, audit, secrets};
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_store::AnyConnection;
use kippu_store::vouchers::holders::{self as repo, AccountRow, HistoryRow, HolderRow, NewGrant};
use kippu_store::vouchers::{self as programs, ProgramRow};

fn platform_only(actor: &Actor) -> Result<()> {
    actor.require_platform("grants are the platform operator's")
}

/// A grant as typed: a new holder (`holder_id` none) or more for an existing one.
#[derive(Debug, Clone, Default)]
pub struct GrantInput {
    pub program: String,
    pub holder_name: String,
    pub holder_id: Option<i64>,
    pub amount: String,
    /// The voucher type's code; empty for the programme's first.
    pub product: String,
    pub memo: String,
}

/// What a grant gives back: the holder, and for a new holder the token and link to hand over
/// (shown this once: only the token's hash is kept).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Granted {
    pub holder_id: i64,
    pub holder_name: String,
    pub amount: i64,
    pub product: String,
    pub balance: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A checked grant line, before anything is written.
struct Checked {
    holder_name: String,
    holder_id: Option<i64>,
    amount: i64,
    type_index: usize,
}

fn check_amount(field: &'static str, typed: &str) -> std::result::Result<i64, FieldError> {
    kippu_domain::voucher::payment::parse_amount(typed).map_err(|r| FieldError::new(field, r.said().ja))
}

fn check_product(p: &ProgramRow, typed: &str) -> std::result::Result<usize, FieldError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(0);
    }
    p.types
        .iter()
        .position(|t| t.code == typed || t.name == typed)
        .ok_or_else(|| FieldError::new("product", format!("商品「{typed}」はこの事業にありません")))
}

async fn program(conn: &mut AnyConnection, code: &str) -> Result<ProgramRow> {
    programs::program_by_code(conn, code.trim())
        .await?
        .ok_or_else(|| FieldError::new("program", format!("事業コード {code} の事業はありません")).into())
}

/// The holder's page link for a token.
pub fn link(app: &App, token: &str) -> String {
    format!("{}/v/{token}", app.config.public_url.trim_end_matches('/'))
}

async fn apply(app: &App, conn: &mut AnyConnection, p: &ProgramRow, c: &Checked, memo: &str, now: i64) -> Result<Granted> {
    let (holder, token) = match c.holder_id {
        Some(id) => (repo::holder_by_id(conn, p.id, id).await?.ok_or(AppError::NotFound)?, None),
        None => {
            let token = secrets::random_token(24);
            let id = repo::insert_holder(conn, p.id, &c.holder_name, &secrets::sha256_hex(&token), now).await?;
            let h = HolderRow {
                id,
                program_id: p.id,
                name: c.holder_name.clone(),
            };
            (h, Some(token))
        }
    };
    let vt = &p.types[c.type_index];
    let account = repo::account_for(conn, &holder, vt.id, now).await?;
    let g = NewGrant {
        holder: &holder,
        account,
        amount: c.amount,
        memo,
    };
    repo::grant(conn, &g, now).await?;
    let balance = kippu_store::vouchers::payments::balance(conn, account).await?;
    Ok(Granted {
        holder_id: holder.id,
        holder_name: holder.name,
        amount: c.amount,
        product: vt.name.clone(),
        balance,
        link: token.as_deref().map(|t| link(app, t)),
        token,
    })
}

/// One grant: every bad field named at once.
pub async fn grant(app: &App, actor: &Actor, input: &GrantInput) -> Result<Granted> {
    platform_only(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let p = program(&mut tx, &input.program).await?;
    let mut errs = Collect::default();
    let holder_name = match input.holder_id {
        Some(_) => Some(String::new()),
        None => errs.take(validate::required_text("holder_name", &input.holder_name, 100)),
    };
    let amount = errs.take(check_amount("amount", &input.amount));
    let type_index = errs.take(check_product(&p, &input.product));
    errs.finish()?;
    let (Some(holder_name), Some(amount), Some(type_index)) = (holder_name, amount, type_index) else {
        return Err(AppError::Internal("a grant field without a value but without an error".into()));
    };
    let c = Checked {
        holder_name,
        holder_id: input.holder_id,
        amount,
        type_index,
    };
    let done = apply(app, &mut tx, &p, &c, input.memo.trim(), now).await?;
    audit_grant(&mut tx, actor, &p, &done, now).await?;
    tx.commit().await?;
    Ok(done)
}

async fn audit_grant(conn: &mut AnyConnection, actor: &Actor, p: &ProgramRow, g: &Granted, now: i64) -> Result<()> {
    let after = serde_json::json!({"holder": g.holder_id, "amount": g.amount, "product": g.product});
    audit::record(
        conn,
        actor,
        None,
        audit::Subject::new("grant", "voucher_program", &p.code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    Ok(())
}

/// A grants file: refused whole (every bad line named) or applied whole.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GrantReport {
    pub errors: Vec<LineError>,
    pub granted: Vec<Granted>,
}

/// `氏名,金額[,商品]` per line (a header line is skipped), UTF-8 or CP932: a new holder per line.
pub async fn grant_csv(app: &App, actor: &Actor, program_code: &str, bytes: &[u8]) -> Result<GrantReport> {
    platform_only(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let p = program(&mut tx, program_code).await?;
    let is_header = |r: &csv::StringRecord| {
        r.get(1)
            .is_some_and(|a| a.trim() == "金額" || a.trim().eq_ignore_ascii_case("amount"))
    };
    let (rows, mut errors) = csv_import::lines(bytes, 2, "氏名,金額[,商品]", is_header);
    let mut checked = Vec::with_capacity(rows.len());
    for (line, rec) in &rows {
        let name = validate::required_text("holder_name", rec.get(0).unwrap_or(""), 100);
        let amount = check_amount("amount", rec.get(1).unwrap_or(""));
        let product = check_product(&p, rec.get(2).unwrap_or(""));
        match (name, amount, product) {
            (Ok(holder_name), Ok(amount), Ok(type_index)) => checked.push(Checked {
                holder_name,
                holder_id: None,
                amount,
                type_index,
            }),
            (n, a, t) => {
                for e in [n.err(), a.err(), t.err()].into_iter().flatten() {
                    errors.push(LineError::new(*line, e.field, e.message));
                }
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(LineError::new(1, "行", "付与する行がありません"));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(GrantReport {
            errors,
            granted: Vec::new(),
        });
    }
    let mut granted = Vec::with_capacity(checked.len());
    for c in &checked {
        granted.push(apply(app, &mut tx, &p, c, "CSV", now).await?);
    }
    let total: i64 = granted.iter().map(|g| g.amount).sum();
    let after = serde_json::json!({"holders": granted.len(), "total": total});
    audit::record(
        &mut tx,
        actor,
        None,
        audit::Subject::new("grant_csv", "voucher_program", &p.code),
        audit::NONE,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(GrantReport { errors, granted })
}

/// What the holder's page shows.
pub struct HolderView {
    pub holder: HolderRow,
    pub program: ProgramRow,
    pub accounts: Vec<AccountRow>,
    pub history: Vec<HistoryRow>,
}

impl HolderView {
    pub fn total_balance(&self) -> i64 {
        self.accounts.iter().map(|a| a.balance).sum()
    }
}

/// How many history lines the holder's page shows.
const HISTORY_LINES: i64 = 50;

/// The holder behind a link token; an unknown token is `NotFound`.
pub async fn holder(app: &App, token: &str) -> Result<HolderRow> {
    let mut conn = app.store.conn().await?;
    repo::holder_by_token(&mut conn, &secrets::sha256_hex(token.trim()))
        .await?
        .ok_or(AppError::NotFound)
}

/// The holder's balances and history.
pub async fn view(app: &App, token: &str) -> Result<HolderView> {
    let holder = holder(app, token).await?;
    let mut conn = app.store.conn().await?;
    let program = programs::program_by_id(&mut conn, holder.program_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let accounts = repo::accounts_of(&mut conn, holder.id).await?;
    let history = repo::history(&mut conn, holder.id, HISTORY_LINES).await?;
    Ok(HolderView {
        holder,
        program,
        accounts,
        history,
    })
}
