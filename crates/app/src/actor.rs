//! Who is acting. Built only from an authenticated session or API token; every use case takes
//! one and scopes its queries by `merchant_id` from here, never from the request.

use kippu_domain::account::Role;
use kippu_domain::{MerchantId, UserId};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub merchant_id: Option<MerchantId>,
    pub role: Role,
    pub admin_settings: bool,
    /// How the audit log names this actor: `login_id` or `api:<token name>` or `system`.
    pub label: String,
    /// The sales channel an API token is bound to (an OTA's token): its orders are that
    /// channel's, and it reads only those (see `access`).
    pub channel: Option<ChannelBinding>,
}

/// An OTA connection's token: which channel it speaks for, and what the merchant lets it do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelBinding {
    pub id: i64,
    pub code: String,
    /// The merchant lets this channel redeem its own bookings at the door (販売チャネル).
    pub may_redeem: bool,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            merchant_id: None,
            role: Role::PlatformOperator,
            admin_settings: true,
            label: "system".into(),
            channel: None,
        }
    }

    /// An actor of a merchant without a user account: the storefront, a buyer behind an
    /// order's link, the online slip, demo data.
    pub fn unattended(merchant: MerchantId, role: Role, label: impl Into<String>) -> Actor {
        Actor {
            user_id: None,
            merchant_id: Some(merchant),
            role,
            admin_settings: false,
            label: label.into(),
            channel: None,
        }
    }

    /// The merchant this actor works for; platform operators and customers without one get
    /// `NotFound`, so merchant data simply does not exist for them here.
    pub fn merchant(&self) -> crate::Result<MerchantId> {
        self.merchant_id.ok_or(crate::AppError::NotFound)
    }

    /// Whose data this actor reads: its own merchant's, or every merchant's (`None`) for the
    /// platform operator.
    pub fn scope(&self) -> crate::Result<Option<MerchantId>> {
        if self.is_platform() { Ok(None) } else { self.merchant().map(Some) }
    }

    /// The channel whose orders alone this actor may read, if it is an OTA's token.
    pub fn channel_id(&self) -> Option<i64> {
        self.channel.as_ref().map(|c| c.id)
    }

    /// Whether an order of `channel_id` exists for this actor: every order of its merchant, or
    /// only its own channel's for an OTA's token (another channel's order is simply not found).
    pub fn sees_channel(&self, channel_id: Option<i64>) -> bool {
        match self.channel_id() {
            Some(own) => channel_id == Some(own),
            None => true,
        }
    }

    pub fn is_platform(&self) -> bool {
        self.role == Role::PlatformOperator
    }

    /// The platform operator only; anyone else is refused with `why`.
    pub fn require_platform(&self, why: &'static str) -> crate::Result<()> {
        if self.is_platform() {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden(why))
        }
    }

    pub fn require_settings_rights(&self) -> crate::Result<()> {
        if self.role.can_edit_merchant_settings(self.admin_settings) {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden("settings are for administrators"))
        }
    }
}
