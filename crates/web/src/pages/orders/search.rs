//! The order list's search: parsed once, here, into the app's typed filter.

use kippu_app::orders::OrderFilter;
use kippu_domain::clock::{JST, to_millis};
use kippu_domain::validate::{FieldError, choice};
use serde::Deserialize;

/// The list's search form; every field optional, kept in the query string so a page can be
/// bookmarked and the CSV export gets exactly the same search.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub usage: String,
    #[serde(default)]
    pub ticket_type: String,
    #[serde(default)]
    pub order_type: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub holder: String,
    /// `1`: only authorizations expiring within five days (the work queue's link).
    #[serde(default)]
    pub expiring: String,
    /// `1`: only orders whose buyer wrote last.
    #[serde(default)]
    pub unanswered: String,
    #[serde(default)]
    pub page: Option<i64>,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn day(s: &str) -> Option<i64> {
    time::Date::parse(s.trim(), &time::format_description::well_known::Iso8601::DATE)
        .ok()
        .map(|d| to_millis(d.midnight().assume_offset(JST)))
}

/// A checkbox: absent or `1`; anything else is a hand-edited URL.
fn flag(field: &'static str, s: &str) -> Result<bool, FieldError> {
    match s.trim() {
        "" | "0" => Ok(false),
        "1" => Ok(true),
        other => Err(FieldError::new(field, format!("{field} は 1 か空です（{other}）"))),
    }
}

impl Search {
    /// The app's filter; a value no option has (a hand-edited URL) is a 422, never ignored.
    /// `auth_expiring_by` is the app's cutoff of 「与信期限間近」 at this moment.
    pub fn filter(&self, auth_expiring_by: i64) -> Result<OrderFilter, FieldError> {
        Ok(OrderFilter {
            kinds: Vec::new(),
            channel: None,
            merchant: None,
            order_number: opt(&self.number),
            from_ms: day(&self.from),
            to_ms: day(&self.to).map(|d| d + 86_400_000),
            name: opt(&self.name),
            q: None,
            email: opt(&self.email),
            phone: opt(&self.phone),
            payment_method: choice("method", &self.method)?,
            status: choice("status", &self.status)?,
            usage: choice("usage", &self.usage)?,
            ticket_type: choice("ticket_type", &self.ticket_type)?,
            order_type: choice("order_type", &self.order_type)?,
            product_code: opt(&self.product),
            holder: opt(&self.holder),
            authorized_by: flag("expiring", &self.expiring)?.then_some(auth_expiring_by),
            unanswered: flag("unanswered", &self.unanswered)?,
        })
    }

    /// The non-empty fields of this search, as (name, value).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let pairs = [
            ("number", &self.number),
            ("from", &self.from),
            ("to", &self.to),
            ("name", &self.name),
            ("email", &self.email),
            ("phone", &self.phone),
            ("method", &self.method),
            ("status", &self.status),
            ("usage", &self.usage),
            ("ticket_type", &self.ticket_type),
            ("order_type", &self.order_type),
            ("product", &self.product),
            ("holder", &self.holder),
            ("expiring", &self.expiring),
            ("unanswered", &self.unanswered),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (*k, v.trim().to_string()))
            .collect()
    }

    /// The query string of this search without the page number.
    pub fn query(&self) -> String {
        self.pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::ctx::encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// An active filter as a removable chip: what it is, its value in words, and the list without it.
pub struct Chip {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub remove: String,
}

/// The label key of each search field.
const FIELD_LABELS: [(&str, &str); 15] = [
    ("number", "orders.number"),
    ("from", "orders.from"),
    ("to", "orders.to"),
    ("name", "orders.name"),
    ("email", "orders.email"),
    ("phone", "orders.phone"),
    ("method", "orders.payment_method"),
    ("status", "orders.status"),
    ("usage", "orders.usage"),
    ("ticket_type", "orders.ticket_type"),
    ("order_type", "orders.order_type"),
    ("product", "orders.product"),
    ("holder", "orders.holder"),
    ("expiring", "orders.expiring"),
    ("unanswered", "orders.unanswered"),
];

fn label_key(field: &str) -> &'static str {
    FIELD_LABELS.iter().find(|(f, _)| *f == field).map_or("orders.search", |(_, k)| k)
}

impl Search {
    /// The active filters as chips, each value in words (a status by its label, not its code).
    pub fn chips(&self, t: crate::i18n::T) -> Vec<Chip> {
        use kippu_domain::catalog::TicketType;
        use kippu_domain::order::{OrderType, PaymentMethod};
        use kippu_domain::web_ticket::{Status, Usage};
        let pairs = self.pairs();
        pairs
            .iter()
            .map(|(k, v)| {
                let words = match *k {
                    "method" => PaymentMethod::parse(v).map(|x| t.l(x.label())),
                    "status" => Status::parse(v).map(|x| t.l(x.label())),
                    "usage" => Usage::parse(v).map(|x| t.l(x.label())),
                    "ticket_type" => TicketType::parse(v).map(|x| t.l(x.label())),
                    "order_type" => OrderType::parse(v).map(|x| t.l(x.label())),
                    "expiring" | "unanswered" => Some("✓"),
                    _ => None,
                };
                let rest: Vec<String> = pairs
                    .iter()
                    .filter(|(other, _)| other != k)
                    .map(|(other, val)| format!("{other}={}", crate::ctx::encode(val)))
                    .collect();
                Chip {
                    key: k,
                    label: t.s(label_key(k)),
                    value: words.map_or_else(|| v.clone(), str::to_string),
                    remove: format!("/orders?{}", rest.join("&")),
                }
            })
            .collect()
    }
}
