//! Which kind of caller may use an entry point at all. The API's permission table
//! (`web/src/api/permissions.rs`) gives every route one `Access`; this module alone decides
//! what each `Access` lets through, so the answer (403 with its reason) is the same everywhere.
//! Inside an entry point the use case still scopes every query by the actor's merchant (and an
//! OTA's channel); this is the coarse gate in front of it.

use crate::{Actor, AppError, Result};
use kippu_domain::label::Said;

/// The kinds of API caller, told apart by their token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caller {
    /// A merchant's own token (加盟店管理者).
    Merchant,
    /// A token bound to one OTA sales channel: an OTA, which orders and reads its own orders.
    Channel,
    /// The platform operator's token (事務局).
    Platform,
}

impl Caller {
    pub const ALL: [Caller; 3] = [Caller::Merchant, Caller::Channel, Caller::Platform];

    pub fn of(actor: &Actor) -> Caller {
        if actor.is_platform() {
            Caller::Platform
        } else if actor.channel.is_some() {
            Caller::Channel
        } else {
            Caller::Merchant
        }
    }
}

/// Who may call an entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token (the API's own description).
    Public,
    /// A voucher holder's phone, by the holder's token (its handler checks it).
    Holder,
    /// Callers holding an API token of one of these kinds.
    Tokens(&'static [Caller]),
}

/// A merchant's own token only: the merchant's back-office data.
pub const MERCHANT: Access = Access::Tokens(&[Caller::Merchant]);
/// A merchant's token for its own data, or the platform's for every merchant's.
pub const MERCHANT_OR_PLATFORM: Access = Access::Tokens(&[Caller::Merchant, Caller::Platform]);
/// The platform operator only.
pub const PLATFORM: Access = Access::Tokens(&[Caller::Platform]);
/// What an OTA does: order, and read its own channel's orders and bookings (and the merchant's
/// own token, which sees every channel).
pub const ORDERING: Access = Access::Tokens(&[Caller::Merchant, Caller::Channel]);
/// Reading orders and bookings: the merchant, the platform, and an OTA for its own channel.
pub const ORDER_READING: Access = Access::Tokens(&[Caller::Merchant, Caller::Channel, Caller::Platform]);
/// Every token (who am I).
pub const ANY_TOKEN: Access = Access::Tokens(&Caller::ALL);

impl Access {
    pub fn allows(self, caller: Caller) -> bool {
        match self {
            Access::Public | Access::Holder => true,
            Access::Tokens(callers) => callers.contains(&caller),
        }
    }

    /// Lets `actor` through, or says why not (403), in the words an API client can act on.
    pub fn check(self, actor: &Actor) -> Result<()> {
        let caller = Caller::of(actor);
        if self.allows(caller) {
            return Ok(());
        }
        Err(AppError::Denied(match caller {
            Caller::Channel => Denied::NotForChannelToken,
            Caller::Platform => Denied::NeedsMerchantToken,
            Caller::Merchant => Denied::NeedsPlatformToken,
        }))
    }
}

/// Why a kind of caller is refused an entry point (each its own stable API code, 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    NeedsMerchantToken,
    NeedsPlatformToken,
    NotForChannelToken,
}

impl Denied {
    pub fn code(self) -> &'static str {
        match self {
            Denied::NeedsMerchantToken => "merchant_token_required",
            Denied::NeedsPlatformToken => "platform_token_required",
            Denied::NotForChannelToken => "channel_token_not_allowed",
        }
    }

    pub fn said(self) -> Said {
        match self {
            Denied::NeedsMerchantToken => Said::new("加盟店のAPIトークンが必要です", "This needs a merchant's API token"),
            Denied::NeedsPlatformToken => Said::new("事務局のAPIトークンが必要です", "This needs the platform operator's API token"),
            Denied::NotForChannelToken => Said::new(
                "販売チャネル（OTA）のトークンでできるのは、注文、自チャネルの注文・予約の参照、加盟店が許可した引き換えだけです",
                "A sales channel's token may only order, read its own channel's orders and bookings, and redeem where the merchant allows",
            ),
        }
    }
}

/// An OTA's token redeems only where the merchant has allowed its channel to (販売チャネル).
pub fn check_may_redeem(actor: &Actor) -> Result<()> {
    match &actor.channel {
        Some(c) if !c.may_redeem => Err(AppError::Forbidden("the merchant has not allowed this sales channel to redeem")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::ChannelBinding;
    use kippu_domain::MerchantId;
    use kippu_domain::account::Role;

    fn ota(may_redeem: bool) -> Actor {
        let mut a = Actor::unattended(MerchantId(1), Role::MerchantAdmin, "api:ota");
        a.channel = Some(ChannelBinding {
            id: 7,
            code: "OTA1".into(),
            may_redeem,
        });
        a
    }

    #[test]
    fn a_channel_token_is_an_ota_not_a_merchant_admin() {
        assert_eq!(Caller::of(&ota(false)), Caller::Channel);
        assert!(MERCHANT.check(&ota(false)).is_err());
        assert!(MERCHANT_OR_PLATFORM.check(&ota(false)).is_err());
        assert!(ORDERING.check(&ota(false)).is_ok());
        assert!(ORDER_READING.check(&ota(false)).is_ok());
    }

    #[test]
    fn the_platform_is_refused_where_a_merchant_token_is_needed() {
        let p = Actor::system();
        assert_eq!(Caller::of(&p), Caller::Platform);
        assert!(matches!(MERCHANT.check(&p), Err(AppError::Denied(Denied::NeedsMerchantToken))));
        assert!(PLATFORM.check(&p).is_ok());
    }

    #[test]
    fn a_channel_redeems_only_when_the_merchant_allows() {
        assert!(check_may_redeem(&ota(false)).is_err());
        assert!(check_may_redeem(&ota(true)).is_ok());
        let own = Actor::unattended(MerchantId(1), Role::MerchantAdmin, "api:own");
        assert!(check_may_redeem(&own).is_ok());
    }

    #[test]
    fn an_ota_sees_only_its_own_channels_orders() {
        let a = ota(false);
        assert!(a.sees_channel(Some(7)));
        assert!(!a.sees_channel(Some(8)));
        assert!(!a.sees_channel(None));
        let own = Actor::unattended(MerchantId(1), Role::MerchantAdmin, "api:own");
        assert!(own.sees_channel(Some(8)));
    }
}
