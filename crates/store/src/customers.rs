//! 代理注文管理's customer queries: 顧客検索 (each kind of text on its own index), the figures
//! of その他情報 from the customer's orders, likely duplicates, the birthday and notes.

use crate::Result;
use crate::people::{CUSTOMER_COLS, CustomerRow};
use kippu_domain::customer_lookup::{Lookup, prefix_bound};
use kippu_domain::{CustomerId, MerchantId};
use sqlx::{AnyConnection, FromRow};

enum Bind {
    I(i64),
    S(String),
}

/// The condition a lookup puts on `customers` (merchant `$1` always), its binds after `$1`, and
/// the order its results read best in — or, for digits, the arms that find them.
enum Found {
    Where(String),
    /// Each kind of number on its own index; the phone's arm at most `arm_limit` rows, so a
    /// short prefix never joins or sorts a million rows.
    Arms {
        phone: Option<String>,
        others: Vec<String>,
    },
}

fn condition(lookup: &Lookup) -> (Found, Vec<Bind>, &'static str) {
    let by_kana = "kana, id";
    let prefix = |col: &str, first: usize, p: &str, binds: &mut Vec<Bind>| -> String {
        binds.push(Bind::S(p.to_string()));
        match prefix_bound(p) {
            Some(b) => {
                binds.push(Bind::S(b));
                format!("{col} >= ${first} AND {col} < ${}", first + 1)
            }
            None => format!("{col} >= ${first}"),
        }
    };
    let mut binds = Vec::new();
    let w = |s: String| Found::Where(format!("merchant_id = $1 AND {s}"));
    match lookup {
        Lookup::All => (Found::Where("merchant_id = $1".into()), binds, by_kana),
        Lookup::Email(e) => {
            binds.push(Bind::S(e.clone()));
            (w("email = $2".into()), binds, by_kana)
        }
        Lookup::OrderNumber(n) => {
            binds.push(Bind::S(n.clone()));
            (w(ORDER_ARM.replace("{n}", "2")), binds, by_kana)
        }
        Lookup::KanaPrefix(k) => {
            let c = prefix("kana", 2, k, &mut binds);
            (w(c), binds, by_kana)
        }
        Lookup::NamePrefix(n) => {
            let c = prefix("name", 2, n, &mut binds);
            (w(c), binds, "name, id")
        }
        Lookup::Digits {
            phone_prefix,
            customer_number,
            order_number,
        } => {
            // A phone's start from 3 digits; a customer number; an order.
            let phone = (phone_prefix.len() >= 3).then(|| prefix("phone_digits", 2, phone_prefix, &mut binds));
            let mut others = Vec::new();
            if let Some(n) = customer_number {
                binds.push(Bind::I(*n));
                others.push(format!("customer_number = ${}", binds.len() + 1));
            }
            if let Some(o) = order_number {
                binds.push(Bind::S(o.clone()));
                others.push(ORDER_ARM.replace("{n}", &(binds.len() + 1).to_string()));
            }
            (Found::Arms { phone, others }, binds, "phone_digits, id")
        }
    }
}

/// The customer of an order number (`${n}`).
const ORDER_ARM: &str = "id IN (SELECT customer_id FROM orders WHERE merchant_id = $1 AND order_number = ${n})";

/// A query of `cols` for what the lookup finds (`arm_limit` caps a phone's arm).
fn found_sql(found: &Found, arm_limit: i64, cols: &str) -> String {
    match found {
        Found::Where(cond) => format!("SELECT {cols} FROM customers WHERE {cond}"),
        Found::Arms { phone, others } => {
            let mut arms: Vec<String> = Vec::new();
            if let Some(p) = phone {
                arms.push(format!(
                    "SELECT {cols} FROM (SELECT {cols} FROM customers WHERE merchant_id = $1 AND {p} \
                     ORDER BY phone_digits, id LIMIT {arm_limit}) AS by_phone"
                ));
            }
            for o in others {
                arms.push(format!("SELECT {cols} FROM customers WHERE merchant_id = $1 AND {o}"));
            }
            if arms.is_empty() {
                arms.push(format!("SELECT {cols} FROM customers WHERE merchant_id = $1 AND 1 = 0"));
            }
            arms.join(" UNION ")
        }
    }
}

fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    m: MerchantId,
    binds: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    q = q.bind(m.0);
    for b in binds {
        q = match b {
            Bind::I(i) => q.bind(i),
            Bind::S(s) => q.bind(s),
        };
    }
    q
}

/// One page of merchant `m`'s customers that the lookup finds.
pub async fn search(conn: &mut AnyConnection, m: MerchantId, lookup: &Lookup, limit: i64, offset: i64) -> Result<Vec<CustomerRow>> {
    let (found, binds, order) = condition(lookup);
    let n = binds.len() + 2;
    let sql = format!(
        "SELECT {CUSTOMER_COLS} FROM ({}) AS found ORDER BY {order} LIMIT ${n} OFFSET ${}",
        // The phone's digits ride along: a phone search is shown in their order.
        found_sql(&found, limit.saturating_add(offset), &format!("{CUSTOMER_COLS}, phone_digits")),
        n + 1
    );
    let q = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), m, binds);
    Ok(q.bind(limit).bind(offset).fetch_all(conn).await?)
}

/// How many customers the lookup finds, counted up to `cap` (a page says 「cap件以上」 beyond):
/// a count never reads more than `cap` rows of any one index.
pub async fn count(conn: &mut AnyConnection, m: MerchantId, lookup: &Lookup, cap: i64) -> Result<i64> {
    let (found, binds, _) = condition(lookup);
    let n = binds.len() + 2;
    let sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ({}) AS found LIMIT ${n}) AS capped",
        found_sql(&found, cap, "id")
    );
    let q: sqlx::query::QueryAs<'_, sqlx::Any, (i64,), _> = bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), m, binds);
    Ok(q.bind(cap).fetch_one(conn).await?.0)
}

/// その他情報: what a customer's orders of every kind add up to. Cancelled orders do not count;
/// a refund is taken off the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct OrderFigures {
    pub order_count: i64,
    pub total_spent: i64,
    pub last_ordered_at: Option<i64>,
}

pub async fn order_figures(conn: &mut AnyConnection, m: MerchantId, id: CustomerId) -> Result<OrderFigures> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*) AS order_count, CAST(COALESCE(SUM(amount - refunded_amount), 0) AS BIGINT) AS total_spent, \
         MAX(ordered_at) AS last_ordered_at FROM orders WHERE merchant_id = $1 AND customer_id = $2 AND cancelled_at IS NULL",
    )
    .bind(m.0)
    .bind(id.0)
    .fetch_one(conn)
    .await?)
}

/// Customers of `m` with the same phone number (by its digits) or email address: likely the
/// same person registered before. At most `limit`.
pub async fn likely_duplicates(
    conn: &mut AnyConnection,
    m: MerchantId,
    phone_digits: &str,
    email: &str,
    except: Option<CustomerId>,
    limit: i64,
) -> Result<Vec<CustomerRow>> {
    let sql = format!(
        "SELECT {CUSTOMER_COLS} FROM customers WHERE merchant_id = $1 AND id IN \
         (SELECT id FROM customers WHERE merchant_id = $1 AND phone_digits = $2 AND phone_digits <> '' \
          UNION SELECT id FROM customers WHERE merchant_id = $1 AND email = $3 AND email <> '') \
         AND id <> $4 ORDER BY id LIMIT $5"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(m.0)
        .bind(phone_digits)
        .bind(email)
        .bind(except.map(|c| c.0).unwrap_or(0))
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

/// The birthday (`YYYY-MM-DD` or empty) and notes of a customer of `m`.
pub async fn set_profile(conn: &mut AnyConnection, m: MerchantId, id: CustomerId, birthday: &str, notes: &str) -> Result<bool> {
    let r = sqlx::query("UPDATE customers SET birthday = $1, notes = $2 WHERE merchant_id = $3 AND id = $4")
        .bind(birthday)
        .bind(notes)
        .bind(m.0)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow, serde::Serialize, PartialEq)]
pub struct AddressRow {
    pub id: i64,
    pub name: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
}

/// The customer's address book (お届先リスト), at most `limit` entries.
pub async fn addresses(conn: &mut AnyConnection, m: MerchantId, id: CustomerId, limit: i64) -> Result<Vec<AddressRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, postal_code, address, phone FROM customer_addresses WHERE merchant_id = $1 AND customer_id = $2 \
         ORDER BY id LIMIT $3",
    )
    .bind(m.0)
    .bind(id.0)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
