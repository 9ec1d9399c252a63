//! 登録(CSV): entries from a CSV file (UTF-8 or CP932), its columns found by their header names
//! (顧客番号, 対応日時, 対応者, 対応区分, 対応概要, 内容, 受注番号; the first line must be the
//! header). Every line is checked first; if any is bad, nothing is written and every bad line is
//! reported with its field. The template and the 対応者一覧 are downloads of the import page.

use super::{console_merchant, settings};
use crate::csv_import::{self, LineError};
use crate::csv_out::{CsvEncoder, Encoding};
use crate::{Actor, App, Result, audit};
use kippu_domain::MerchantId;
use kippu_domain::clock::to_millis;
use kippu_domain::interaction;
use kippu_store::AnyConnection;
use kippu_store::interactions::{self as store, InteractionFields, lookup};
use std::collections::HashMap;

/// The most data lines one file may hold.
pub const MAX_LINES: usize = 2_000;
/// The largest file taken (within the server's default body limit, 1 MB, with room for the form).
pub const MAX_BYTES: usize = 900 * 1024;

/// The header of the template, in its order; the first three optional columns may be left out.
pub const TEMPLATE_HEADER: [&str; 7] = ["顧客番号", "対応日時", "対応者", "対応区分", "対応概要", "内容", "受注番号"];
const REQUIRED: [&str; 4] = ["顧客番号", "対応区分", "対応概要", "内容"];

/// What an import did: the entries written, or every bad line (nothing written).
pub type Outcome = std::result::Result<usize, Vec<LineError>>;

/// The template: the header and one example line, UTF-8 with BOM or CP932.
pub fn template(enc: Encoding) -> Vec<u8> {
    let mut csv = CsvEncoder::new(enc, TEMPLATE_HEADER.to_vec());
    let mut out = csv.start();
    out.extend(csv.chunk(&[vec![
        "1".into(),
        "2026-12-01 10:30".into(),
        "".into(),
        "電話".into(),
        "問い合わせ".into(),
        "お届け日の確認".into(),
        "".into(),
    ]]));
    out
}

/// 対応者一覧: the merchant's login IDs and names, as CSV.
pub async fn operators_csv(app: &App, actor: &Actor, enc: Encoding) -> Result<Vec<u8>> {
    let ops = super::operators(app, actor).await?;
    let mut csv = CsvEncoder::new(enc, vec!["対応者", "名前"]);
    let mut out = csv.start();
    let rows: Vec<Vec<String>> = ops.into_iter().map(|o| vec![o.login_id, o.display_name]).collect();
    out.extend(csv.chunk(&rows));
    Ok(out)
}

/// Where each header name stands in the file.
struct Cols(HashMap<String, usize>);

impl Cols {
    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.0.get(name).and_then(|i| rec.get(*i)).unwrap_or("").trim()
    }
}

/// Looks up each customer number, login ID and order number once per file.
#[derive(Default)]
struct Seen {
    customers: HashMap<i64, Option<i64>>,
    users: HashMap<String, Option<i64>>,
    orders: HashMap<String, Option<(i64, Option<i64>)>>,
}

/// Imports `bytes` for the actor's merchant; the importer is the 対応者 of a line without one.
pub async fn import(app: &App, actor: &Actor, bytes: &[u8]) -> Result<Outcome> {
    let m = console_merchant(actor)?;
    if bytes.len() > MAX_BYTES {
        return Ok(Err(vec![LineError::new(
            0,
            "ファイル",
            format!("{}KB以内のファイルにしてください", MAX_BYTES / 1024),
        )]));
    }
    let (rows, mut errors) = csv_import::lines(bytes, 1, "", |_| false);
    let Some(((_, header), data)) = rows.split_first() else {
        return Ok(Err(vec![LineError::new(1, "ファイル", "見出し行と対応履歴の行がありません")]));
    };
    let cols = Cols(header.iter().enumerate().map(|(i, h)| (h.trim().to_string(), i)).collect());
    let missing: Vec<&str> = REQUIRED.into_iter().filter(|h| !cols.0.contains_key(*h)).collect();
    if !missing.is_empty() {
        return Ok(Err(vec![LineError::new(
            1,
            "見出し行",
            format!("列がありません: {}", missing.join("、")),
        )]));
    }
    if data.is_empty() {
        return Ok(Err(vec![LineError::new(1, "ファイル", "対応履歴の行がありません")]));
    }
    if data.len() > MAX_LINES {
        return Ok(Err(vec![LineError::new(
            0,
            "ファイル",
            format!("{MAX_LINES}行以内にしてください（{}行あります）", data.len()),
        )]));
    }
    let now = app.now_ms();
    let mut tx = app.store.begin().await?;
    let choices = settings::choices_in(&mut tx, m).await?;
    let mut seen = Seen::default();
    let mut entries = Vec::with_capacity(data.len());
    for (line, rec) in data {
        match check_line(&mut tx, m, &choices, &cols, &mut seen, rec).await? {
            Ok(mut f) => {
                f.at = if f.at == 0 { now } else { f.at };
                if f.user_id.is_none() {
                    f.user_id = actor.user_id.map(|u| u.0);
                }
                entries.push(f);
            }
            Err((field, message)) => errors.push(LineError::new(*line, field, message)),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(Err(errors));
    }
    for f in &entries {
        store::insert(&mut tx, m, f, now).await?;
    }
    audit::record(
        &mut tx,
        actor,
        Some(m),
        audit::Subject::new("import", "interaction", entries.len()),
        None::<&()>,
        Some(&serde_json::json!({ "lines": entries.len() })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(entries.len()))
}

/// One line as an entry (time 0: now), or its first bad field and why.
async fn check_line(
    conn: &mut AnyConnection,
    m: MerchantId,
    choices: &interaction::Choices,
    cols: &Cols,
    seen: &mut Seen,
    rec: &csv::StringRecord,
) -> Result<std::result::Result<InteractionFields, (&'static str, String)>> {
    let typed = cols.get(rec, "顧客番号");
    let Some(number) = kippu_domain::normalize::integer(typed) else {
        return Ok(Err(("顧客番号", format!("顧客番号を数字で入力してください（「{typed}」）"))));
    };
    let customer = match seen.customers.get(&number) {
        Some(c) => *c,
        None => {
            let c = lookup::customer_by_number(conn, m, number).await?;
            seen.customers.insert(number, c);
            c
        }
    };
    let Some(customer_id) = customer else {
        return Ok(Err(("顧客番号", format!("顧客番号 {number} の顧客はいません"))));
    };
    let at = match interaction::parse_at("対応日時", cols.get(rec, "対応日時")) {
        Ok(at) => at.map(to_millis).unwrap_or(0),
        Err(e) => return Ok(Err(("対応日時", e.message))),
    };
    let login = cols.get(rec, "対応者").to_string();
    let user_id = if login.is_empty() {
        None
    } else {
        let u = match seen.users.get(&login) {
            Some(u) => *u,
            None => {
                let u = lookup::user_by_login(conn, m, &login).await?;
                seen.users.insert(login.clone(), u);
                u
            }
        };
        if u.is_none() {
            return Ok(Err((
                "対応者",
                format!("対応者「{login}」はいません（対応者一覧のログインIDを入力してください）"),
            )));
        }
        u
    };
    let checked = match interaction::check(choices, cols.get(rec, "対応区分"), cols.get(rec, "対応概要"), cols.get(rec, "内容")) {
        Ok(c) => c,
        Err(e) => {
            let first = &e.all()[0];
            let field = match first.field {
                "category" => "対応区分",
                "summary" => "対応概要",
                _ => "内容",
            };
            return Ok(Err((field, first.message.clone())));
        }
    };
    let order_number = kippu_domain::normalize::text(cols.get(rec, "受注番号")).trim().to_string();
    let order_id = if order_number.is_empty() {
        None
    } else {
        let o = match seen.orders.get(&order_number) {
            Some(o) => *o,
            None => {
                let o = lookup::order_by_number(conn, m, &order_number).await?;
                seen.orders.insert(order_number.clone(), o);
                o
            }
        };
        match o {
            Some((id, owner)) if owner == Some(customer_id) => Some(id),
            Some(_) => return Ok(Err(("受注番号", format!("受注番号 {order_number} はこの顧客の受注ではありません")))),
            None => return Ok(Err(("受注番号", format!("受注番号 {order_number} の受注はありません")))),
        }
    };
    Ok(Ok(InteractionFields {
        customer_id,
        order_id,
        user_id,
        category: checked.category,
        summary: checked.summary,
        content: checked.content,
        at,
    }))
}
