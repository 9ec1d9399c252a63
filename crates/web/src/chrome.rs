//! What every signed-in page shares: title, navigation for the user's role, account menu,
//! language toggle, CSRF token.

use crate::ctx::Ctx;
use crate::i18n::T;
use kippu_domain::account::Role;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

pub struct Chrome {
    pub t: T,
    pub title: String,
    pub csrf: String,
    pub path: String,
    pub user_name: String,
    pub role_label: &'static str,
    pub merchant_label: String,
    pub nav: Vec<NavItem>,
    pub signed_in: bool,
    /// What the last action did (or why it was refused), shown once at the top of the page.
    pub flash: Option<crate::flash::Flash>,
    /// A buyer's page: the merchant's name and storefront heads it, not the back office.
    pub shop: Option<(String, String)>,
}

/// The areas of the back office per role: (path, label key).
pub fn areas(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::PlatformOperator => &[
            ("/platform/merchants", "nav.merchants"),
            ("/platform/deposits", "nav.deposits"),
            ("/platform/cancel-requests", "nav.cancel_requests"),
            ("/platform/vouchers", "nav.voucher_programs"),
            ("/settlements", "nav.settlements"),
            ("/settings", "nav.settings"),
        ],
        Role::MerchantAdmin | Role::MerchantStaff | Role::CallCentre => &[
            ("/orders", "nav.orders"),
            ("/reservations", "nav.reservations"),
            ("/shipping", "nav.shipping"),
            ("/proxy", "nav.proxy"),
            ("/vouchers", "nav.vouchers"),
            ("/settlements", "nav.settlements"),
            ("/settings", "nav.settings"),
        ],
        Role::Customer => &[],
    }
}

/// The area a page belongs to when its path does not start with the area's: the call centre's
/// console (`/callcenter`) is 代理注文管理's.
fn area_path(path: &str) -> &str {
    if path == "/callcenter" || path.starts_with("/callcenter/") {
        "/proxy"
    } else {
        path
    }
}

impl Chrome {
    /// An amount as every screen shows it: `1,234円`.
    pub fn yen(&self, n: i64) -> String {
        kippu_domain::Yen(n).display_ja()
    }

    /// Chrome for a signed-in page titled by label key `title_key`.
    pub fn signed_in(ctx: &Ctx, title_key: &str) -> Chrome {
        let t = ctx.t();
        let (user_name, role) = match &ctx.session {
            Some(s) => (s.user.display_name.clone(), s.actor.role),
            None => (String::new(), Role::Customer),
        };
        let nav = areas(role)
            .iter()
            .map(|(href, key)| NavItem {
                href,
                label: t.s(key),
                active: area_path(&ctx.path) == *href || area_path(&ctx.path).starts_with(&format!("{href}/")),
            })
            .collect();
        Chrome {
            t,
            title: t.s(title_key).to_string(),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            user_name,
            role_label: t.s(&format!("role.{}", role.as_str())),
            merchant_label: ctx.session.as_ref().and_then(|s| s.merchant_name.clone()).unwrap_or_default(),
            nav,
            signed_in: ctx.session.is_some(),
            flash: ctx.flash.clone(),
            shop: None,
        }
    }

    /// Chrome for pages outside the sign-in (login, reset).
    pub fn public(ctx: &Ctx, title_key: &str) -> Chrome {
        let t = ctx.t();
        Chrome {
            t,
            title: t.s(title_key).to_string(),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            user_name: String::new(),
            role_label: "",
            merchant_label: String::new(),
            nav: Vec::new(),
            signed_in: false,
            flash: ctx.flash.clone(),
            shop: None,
        }
    }

    /// Chrome for a buyer's page of `merchant_name`'s storefront (at `/shop/{merchant_code}`).
    pub fn storefront(ctx: &Ctx, title_key: &str, merchant_name: &str, merchant_code: &str) -> Chrome {
        let mut c = Chrome::public(ctx, title_key);
        c.shop = Some((merchant_name.to_string(), format!("/shop/{merchant_code}")));
        c
    }
}
