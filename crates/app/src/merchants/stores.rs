//! 店舗 and 端末: the merchant admin adds its stores (store code, name, address) and each
//! store's terminals. A terminal gets a random QR-mount token and a 6-digit passcode, unique
//! platform-wide (the voucher payment reads either to find the store).

use crate::{Actor, App, AppError, Result, audit, secrets};
use kippu_domain::validate::{self, Collect, FieldError};
use kippu_store::merchants as repo;

fn admin_merchant(actor: &Actor) -> Result<kippu_domain::MerchantId> {
    let m = actor.merchant()?;
    if !actor.role.can_edit_merchant_settings(actor.admin_settings) {
        return Err(AppError::Forbidden("stores are set by the merchant's admin"));
    }
    Ok(m)
}

/// The platform operator acting as merchant `code`'s admin (the `kippu voucher store|terminal`
/// commands): labelled `system` in the audit log.
pub async fn acting_for(app: &App, platform: &Actor, code: &str) -> Result<Actor> {
    platform.require_platform("only the platform acts for a merchant")?;
    let mut conn = app.store.conn().await?;
    let m = crate::accounts::merchant_by_code(&mut conn, code.trim()).await?;
    Ok(Actor::unattended(
        m.id,
        kippu_domain::account::Role::MerchantAdmin,
        platform.label.clone(),
    ))
}

/// A new store as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewStore {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// 営業時間, free text (「10:00〜19:00（水曜定休）」), shown to buyers who pick up there.
    #[serde(default)]
    pub hours: String,
}

/// Adds a store; every field checked at once, a code already used is the code's error.
pub async fn add_store(app: &App, actor: &Actor, n: &NewStore) -> Result<String> {
    let m = admin_merchant(actor)?;
    let mut c = Collect::default();
    let code = c.take(validate::upper_code("code", "店舗コード", &n.code, 30));
    let name = c.take(validate::required_text("name", &n.name, 100));
    let address = if n.address.trim().is_empty() {
        Some(String::new())
    } else {
        c.take(validate::required_text("address", &n.address, 200))
    };
    let hours = if n.hours.trim().is_empty() {
        Some(String::new())
    } else {
        c.take(validate::required_text("hours", &n.hours, 100))
    };
    c.finish()?;
    let (Some(code), Some(name), Some(address), Some(hours)) = (code, name, address, hours) else {
        unreachable!("Collect::finish fails when a field failed");
    };
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    if repo::find_store(&mut tx, m, &code).await?.is_some() {
        return Err(FieldError::new("code", format!("店舗コード {code} は既にあります")).into());
    }
    let row = repo::NewStoreRow {
        code: &code,
        name: &name,
        address: &address,
        hours: &hours,
    };
    repo::insert_store(&mut tx, m, &row, now).await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "store", &code),
        audit::NONE,
        Some(&serde_json::json!({"code": code, "name": name, "address": address, "hours": hours})),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// How many random passcodes to try before giving up (a collision among a million codes is
/// rare; ten in a row means something else is wrong).
const PASSCODE_TRIES: usize = 10;

/// A passcode no terminal on the platform has yet.
async fn free_passcode(conn: &mut kippu_store::AnyConnection) -> Result<String> {
    for _ in 0..PASSCODE_TRIES {
        let passcode = secrets::random_digits(6);
        if !repo::passcode_taken(conn, &passcode).await? {
            return Ok(passcode);
        }
    }
    Err(AppError::Internal("no free terminal passcode after 10 tries".into()))
}

/// Gives a terminal a new passcode (the old QR mount's passcode stops working; its QR code
/// does not change); returns the new passcode.
pub async fn reissue_passcode(app: &App, actor: &Actor, terminal_code: &str) -> Result<String> {
    let m = admin_merchant(actor)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let passcode = free_passcode(&mut tx).await?;
    if !repo::set_passcode(&mut tx, m, terminal_code.trim(), &passcode).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("reissue_passcode", "terminal", terminal_code.trim()),
        audit::NONE,
        audit::NONE,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(passcode)
}

/// A terminal just added: what its QR mount shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AddedTerminal {
    pub code: String,
    pub passcode: String,
    /// What the QR mount encodes (the holder's phone sends it as `terminal`).
    pub qr_payload: String,
}

/// Adds a terminal to one of the merchant's stores.
pub async fn add_terminal(app: &App, actor: &Actor, store_code: &str, name: &str) -> Result<AddedTerminal> {
    let m = admin_merchant(actor)?;
    let name = validate::required_text("name", name, 100)?;
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let store = repo::find_store(&mut tx, m, store_code.trim()).await?.ok_or(AppError::NotFound)?;
    let existing = repo::list_terminals(&mut tx, m, store.id).await?.len();
    let code = format!("{}-T{:02}", store.code, existing + 1);
    let passcode = free_passcode(&mut tx).await?;
    let qr_token = secrets::random_token(16);
    repo::insert_terminal(
        &mut tx,
        &repo::NewTerminal {
            m,
            store_id: store.id,
            code: &code,
            name: &name,
            qr_token: &qr_token,
            passcode: &passcode,
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("create", "terminal", &code),
        audit::NONE,
        Some(&serde_json::json!({"store": store.code, "name": name})),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(AddedTerminal {
        code,
        passcode,
        qr_payload: crate::vouchers::pay::qr_payload(&qr_token),
    })
}

/// One of merchant `m`'s terminals by its code, with its store.
async fn terminal_of(
    conn: &mut kippu_store::AnyConnection,
    m: kippu_domain::MerchantId,
    code: &str,
) -> Result<(repo::StoreRow, repo::TerminalRow)> {
    for store in repo::list_stores(conn, m).await? {
        if let Some(t) = repo::list_terminals(conn, m, store.id)
            .await?
            .into_iter()
            .find(|t| t.code == code.trim())
        {
            return Ok((store, t));
        }
    }
    Err(AppError::NotFound)
}

/// What one of the merchant's terminals' QR code encodes (the image beside the mount).
pub async fn terminal_qr(app: &App, actor: &Actor, terminal_code: &str) -> Result<String> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let (_, t) = terminal_of(&mut conn, m, terminal_code).await?;
    Ok(crate::vouchers::pay::qr_payload(&t.qr_token))
}

/// The QR台紙 of one of the merchant's terminals as PDF: (file name, bytes).
pub async fn qr_mount(app: &App, actor: &Actor, terminal_code: &str) -> Result<(String, Vec<u8>)> {
    let m = actor.merchant()?;
    let mut conn = app.store.conn().await?;
    let (store, t) = terminal_of(&mut conn, m, terminal_code).await?;
    let program = match kippu_store::vouchers::programs_of(&mut conn, m).await?.first() {
        Some(id) => kippu_store::vouchers::program_by_id(&mut conn, *id).await?.map(|p| p.name),
        None => None,
    }
    .unwrap_or_else(|| "電子チケット".into());
    let mount = crate::documents::qr_mount::Mount {
        program: &program,
        store_code: &store.code,
        store_name: &store.name,
        terminal_name: &t.name,
        passcode: &t.passcode,
        qr_payload: &crate::vouchers::pay::qr_payload(&t.qr_token),
    };
    let bytes = crate::documents::qr_mount::pdf(&mount).map_err(AppError::Internal)?;
    Ok((format!("qr-mount-{}", t.code), bytes))
}
