//! A payment at the counter from the holder's phone: the terminal by its QR payload or its
//! 6-digit passcode (wrong guesses throttled per holder), the amount, the voucher type; the
//! balance is debited by one guarded statement and a retry with the same key gets the first
//! answer again, never a second payment.

use super::VoucherError;
use super::holders::holder;
use crate::{App, AppError, Result, secrets};

use kippu_domain::validate::FieldError;
use kippu_domain::voucher::payment::{Passcode, PaymentNumber, parse_amount};
use kippu_store::AnyConnection;
use kippu_store::StoreError;
use kippu_store::security::{self, ThrottleRow};
use kippu_store::vouchers::holders::{self as holders_repo, HolderRow};
use kippu_store::vouchers::payments::{self as repo, NewPayment, PaymentRow, TerminalFound};
use kippu_store::vouchers::{self as programs, ProgramRow};

/// What a terminal's QR mount encodes: this prefix and the terminal's random token.
pub const QR_PREFIX: &str = "KIPPU-T:";

/// The QR payload of a terminal token.
pub fn qr_payload(qr_token: &str) -> String {
    format!("{QR_PREFIX}{qr_token}")
}

/// A fresh 決済番号 from the CSPRNG (48 bytes nearly always hold the 16 characters; short draws
/// are drawn again).
pub fn new_payment_number() -> PaymentNumber {
    loop {
        if let Some(n) = PaymentNumber::from_random(secrets::random_bytes(48)) {
            return n;
        }
    }
}

/// How the phone names the store: the scanned QR payload, or the passcode as typed.
#[derive(Debug, Clone)]
pub enum TerminalRef {
    Qr(String),
    Passcode(String),
}

#[derive(Debug, Clone)]
pub struct PayInput {
    pub terminal: TerminalRef,
    pub amount: String,
    /// The voucher type's code or name; empty for the holder's only (or first) balance.
    pub product: String,
    /// The phone's key for this payment attempt (`Idempotency-Key`).
    pub key: String,
}

/// A payment made, or the one an earlier attempt with the same key made.
#[derive(Debug, Clone)]
pub struct Paid {
    pub payment: PaymentRow,
    pub replayed: bool,
}

fn passcode_key(holder: i64) -> String {
    format!("voucher-passcode:{holder}")
}

/// The terminal a phone names; a wrong passcode counts towards the holder's lock.
pub async fn find_terminal(app: &App, h: &HolderRow, t: &TerminalRef) -> Result<TerminalFound> {
    let mut conn = app.store.conn().await?;
    match t {
        TerminalRef::Qr(payload) => {
            let token = payload.trim().strip_prefix(QR_PREFIX).unwrap_or(payload.trim());
            repo::terminal_by_qr(&mut conn, token)
                .await?
                .ok_or(VoucherError::UnknownTerminal.into())
        }
        TerminalRef::Passcode(typed) => {
            let code = Passcode::parse(typed).map_err(|s| FieldError::new("passcode", s.ja))?;
            drop(conn);
            let key = passcode_key(h.id);
            // Counted before it is checked, under the row's lock: a hundred guesses at once are a
            // hundred attempts, and no more than the limit are checked before the lock.
            let now = app.clock.now();
            let mut tx = app.store.begin().await?;
            let state = ThrottleRow::state(Some(security::lock_throttle(&mut tx, &key, app.now_ms()).await?));
            if state.is_locked(now) {
                return Err(VoucherError::PasscodeLocked {
                    minutes: kippu_domain::throttle::LOCK_MINUTES,
                }
                .into());
            }
            let next = state.after_failure(now);
            security::put_throttle(&mut tx, &key, ThrottleRow::of(&next), app.now_ms()).await?;
            tx.commit().await?;
            let mut conn = app.store.conn().await?;
            if let Some(t) = repo::terminal_by_passcode(&mut conn, code.as_str()).await? {
                // A right passcode takes back only its own attempt; the wrong ones before it
                // still count until a payment completes (`record`).
                drop(conn);
                let mut tx = app.store.begin().await?;
                security::refund_attempt(&mut tx, &key, kippu_domain::throttle::MAX_FAILURES).await?;
                tx.commit().await?;
                return Ok(t);
            }
            if next.is_locked(now) {
                return Err(VoucherError::PasscodeLocked {
                    minutes: kippu_domain::throttle::LOCK_MINUTES,
                }
                .into());
            }
            Err(VoucherError::UnknownTerminal.into())
        }
    }
}

/// The store a phone names, checked against the holder's programme: what the confirmation
/// screen shows before the holder confirms.
pub async fn check_store(app: &App, token: &str, t: &TerminalRef) -> Result<(HolderRow, ProgramRow, TerminalFound)> {
    let h = holder(app, token).await?;
    let terminal = find_terminal(app, &h, t).await?;
    let mut conn = app.store.conn().await?;
    // A suspended merchant takes no money in, at its counter as anywhere else.
    crate::accounts::refuse_suspended(&mut conn, kippu_domain::MerchantId(terminal.merchant_id)).await?;
    let p = programs::program_by_id(&mut conn, h.program_id).await?.ok_or(AppError::NotFound)?;
    if !programs::is_enrolled(&mut conn, p.id, kippu_domain::MerchantId(terminal.merchant_id)).await? {
        return Err(VoucherError::NotInProgramme.into());
    }
    let today = app.clock.today().to_string();
    if (!p.valid_from.is_empty() && today < p.valid_from) || (!p.valid_to.is_empty() && today > p.valid_to) {
        return Err(VoucherError::OutsideValidity.into());
    }
    Ok((h, p, terminal))
}

fn check_key(key: &str) -> Result<String> {
    let key = key.trim();
    if key.is_empty() || key.len() > 100 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(FieldError::new("idempotency_key", "Idempotency-Key（1〜100文字の英数字・記号）が必要です").into());
    }
    Ok(key.to_string())
}

/// Pays `input.amount` from the holder's balance at the named store.
pub async fn pay(app: &App, token: &str, input: &PayInput) -> Result<Paid> {
    let amount = parse_amount(&input.amount).map_err(|r| FieldError::new("amount", r.said().ja));
    let key = check_key(&input.key);
    let (amount, key) = (amount?, key?);
    let (h, p, terminal) = check_store(app, token, &input.terminal).await?;
    let mut conn = app.store.conn().await?;
    let accounts = holders_repo::accounts_of(&mut conn, h.id).await?;
    let product = input.product.trim();
    let account = if product.is_empty() {
        accounts.iter().find(|a| a.balance > 0).or(accounts.first())
    } else {
        if !p.types.iter().any(|t| t.code == product || t.name == product) {
            return Err(FieldError::new("product", format!("商品「{product}」はこの事業にありません")).into());
        }
        accounts.iter().find(|a| a.type_code == product || a.type_name == product)
    };
    let Some(account) = account else {
        return Err(VoucherError::InsufficientBalance { balance: 0 }.into());
    };
    let request = format!("{}:{key}", h.id);
    if let Some(done) = repo::by_request(&mut conn, &request).await? {
        return replay(done, amount, &terminal);
    }
    drop(conn);
    let number = new_payment_number();
    let new = NewPayment {
        terminal: &terminal,
        program: p.id,
        holder: h.id,
        account: account.id,
        voucher_type: account.voucher_type_id,
        payment_number: number.as_str(),
        client_request_id: &request,
        amount,
        balance_after: 0,
    };
    // Only a completed payment forgets the wrong passcodes typed before it.
    let forget = matches!(input.terminal, TerminalRef::Passcode(_)).then(|| passcode_key(h.id));
    match record(app, new, forget.as_deref()).await {
        Err(AppError::Store(StoreError::Conflict { .. })) => {
            // Another attempt with the same key won the race: its answer is this one's.
            let mut conn = app.store.conn().await?;
            let done = repo::by_request(&mut conn, &request).await?.ok_or(AppError::NotFound)?;
            replay(done, amount, &terminal)
        }
        other => other.map(|payment| Paid { payment, replayed: false }),
    }
}

fn replay(done: PaymentRow, amount: i64, terminal: &TerminalFound) -> Result<Paid> {
    if done.amount != amount || done.store_code != terminal.store_code || done.terminal_name != terminal.terminal_name {
        return Err(VoucherError::KeyReused.into());
    }
    Ok(Paid {
        payment: done,
        replayed: true,
    })
}

/// Debits and records in one transaction, clearing the passcode throttle `forget` with it;
/// nothing is written when the balance is short.
async fn record(app: &App, mut new: NewPayment<'_>, forget: Option<&str>) -> Result<PaymentRow> {
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let Some(after) = repo::debit(&mut tx, new.account, new.amount).await? else {
        let balance = repo::balance(&mut tx, new.account).await?;
        return Err(VoucherError::InsufficientBalance { balance }.into());
    };
    new.balance_after = after;
    repo::insert(&mut tx, &new, now).await?;
    if let Some(key) = forget {
        security::clear_throttle(&mut tx, key).await?;
    }
    let row = reread(&mut tx, new.client_request_id).await?;
    tx.commit().await?;
    Ok(row)
}

async fn reread(conn: &mut AnyConnection, request: &str) -> Result<PaymentRow> {
    repo::by_request(conn, request)
        .await?
        .ok_or_else(|| AppError::Internal("a payment just written cannot be read".into()))
}

/// One of the holder's own payments by its number (the receipt screen); another holder's is
/// `NotFound`.
pub async fn receipt(app: &App, token: &str, number: &str) -> Result<PaymentRow> {
    let h = holder(app, token).await?;
    let mut conn = app.store.conn().await?;
    match repo::by_number(&mut conn, None, number.trim()).await? {
        Some(p) if p.holder_id == h.id => Ok(p),
        _ => Err(AppError::NotFound),
    }
}
