//! The call centre's console (`/callcenter`, seed 003's top bar): one page per panel — 受付,
//! 注文入力, 定期マスタ情報, 受注情報, 対応履歴, 自由メモ, リジェクト注文情報 and the settings gear —
//! each under `/callcenter/…`, each carrying the picked customer as `?customer={id}` so that
//! moving between panels keeps them. Every panel page holds a [`ConsoleBar`] and includes
//! `callcenter_bar.html` at its top.
//!
//! A panel is listed in [`PANELS`] only once its page exists: the bar never links to a page that
//! is not built (DEVELOPERS.md: no placeholder pages).

use crate::ctx::SignedIn;
use kippu_app::App;
use serde::Deserialize;

pub mod cards;
pub mod interactions;
pub mod notes;
pub mod order;
mod order_fields;
pub mod orders;
pub mod reception;
pub mod rejected;
pub mod settings;
pub mod subscriptions;

/// The console's panels, in the manual's order. A variant not yet in [`PANELS`] is a panel whose
/// page is still to be built.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Reception,
    OrderEntry,
    Subscriptions,
    Orders,
    Interactions,
    Notes,
    Rejected,
    Settings,
}

impl Panel {
    /// The panel's page; the picked customer is appended as `?customer=`.
    pub fn path(self) -> &'static str {
        match self {
            Panel::Reception => "/callcenter",
            Panel::OrderEntry => "/callcenter/order",
            Panel::Subscriptions => "/callcenter/subscriptions",
            Panel::Orders => "/callcenter/orders",
            Panel::Interactions => "/callcenter/interactions",
            Panel::Notes => "/callcenter/notes",
            Panel::Rejected => "/callcenter/rejected",
            Panel::Settings => "/callcenter/settings",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Panel::Reception => "console.reception",
            Panel::OrderEntry => "console.order_entry",
            Panel::Subscriptions => "console.subscriptions",
            Panel::Orders => "console.orders",
            Panel::Interactions => "console.interactions",
            Panel::Notes => "console.notes",
            Panel::Rejected => "console.rejected",
            Panel::Settings => "console.settings",
        }
    }
}

/// The panels whose pages are built, in the bar's order. A panel joins this list in the same
/// change that adds its page.
pub const PANELS: &[Panel] = &[
    Panel::Reception,
    Panel::OrderEntry,
    Panel::Subscriptions,
    Panel::Orders,
    Panel::Interactions,
    Panel::Notes,
    Panel::Rejected,
    Panel::Settings,
];

/// `?customer={id}`: the customer picked in 受付, carried by every panel's links.
#[derive(Debug, Default, Deserialize)]
pub struct Picked {
    pub customer: Option<i64>,
}

/// The picked customer as the bar shows them.
pub struct PickedCustomer {
    pub id: i64,
    pub number: i64,
    pub name: String,
    pub kana: String,
    pub phone: String,
}

/// The top of every console page: the panels' tabs, the active one, and the picked customer.
pub struct ConsoleBar {
    pub tabs: Vec<Tab>,
    pub customer: Option<PickedCustomer>,
}

pub struct Tab {
    pub href: String,
    pub label: &'static str,
    pub active: bool,
}

impl ConsoleBar {
    /// The bar for `active`, with the customer of `picked` read for this actor's merchant (another
    /// merchant's customer is not found: 404).
    pub async fn new(app: &App, s: &SignedIn, active: Panel, picked: &Picked) -> kippu_app::Result<ConsoleBar> {
        let customer = match picked.customer {
            Some(id) => {
                let c = kippu_app::customers::get(app, &s.user.actor, id).await?;
                Some(PickedCustomer {
                    id: c.id,
                    number: c.customer_number,
                    name: c.name,
                    kana: c.kana,
                    phone: c.phone,
                })
            }
            None => None,
        };
        Ok(ConsoleBar::with(active, customer))
    }

    pub fn with(active: Panel, customer: Option<PickedCustomer>) -> ConsoleBar {
        let suffix = customer.as_ref().map(|c| format!("?customer={}", c.id)).unwrap_or_default();
        let tabs = PANELS
            .iter()
            .map(|p| Tab {
                href: format!("{}{suffix}", p.path()),
                label: p.label(),
                active: *p == active,
            })
            .collect();
        ConsoleBar { tabs, customer }
    }
}
