//! Roles and what each may do. The server checks these on every action; hiding a button in the
//! UI is never the check.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 事務局: runs the platform, belongs to no merchant.
    PlatformOperator,
    /// 加盟店管理者: owner of one merchant.
    MerchantAdmin,
    /// 加盟店スタッフ.
    MerchantStaff,
    /// オペレーター: call-centre operator of one merchant.
    CallCentre,
    /// ユーザー / 顧客 / 会員.
    Customer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::PlatformOperator,
        Role::MerchantAdmin,
        Role::MerchantStaff,
        Role::CallCentre,
        Role::Customer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformOperator => "platform_operator",
            Role::MerchantAdmin => "merchant_admin",
            Role::MerchantStaff => "merchant_staff",
            Role::CallCentre => "call_centre",
            Role::Customer => "customer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Every role but the platform operator lives inside exactly one merchant.
    pub fn needs_merchant(self) -> bool {
        self != Role::PlatformOperator
    }

    /// Roles that sign in to the back office (customers use their own pages).
    pub fn is_back_office(self) -> bool {
        self != Role::Customer
    }

    /// May change merchant-wide settings such as email templates.
    pub fn can_edit_merchant_settings(self, admin_settings_flag: bool) -> bool {
        match self {
            Role::PlatformOperator | Role::MerchantAdmin => true,
            Role::CallCentre => admin_settings_flag,
            Role::MerchantStaff | Role::Customer => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_codes() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_admins_and_flagged_operators_edit_settings() {
        assert!(Role::MerchantAdmin.can_edit_merchant_settings(false));
        assert!(!Role::MerchantStaff.can_edit_merchant_settings(true));
        assert!(!Role::CallCentre.can_edit_merchant_settings(false));
        assert!(Role::CallCentre.can_edit_merchant_settings(true));
    }
}

crate::catalog::code_enum!(
    /// Whether a merchant may do business: a suspended merchant's staff cannot sign in and its
    /// storefront is closed; nothing is deleted.
    MerchantStatus {
        Active => "active", "稼働中", "Active";
        Suspended => "suspended", "停止中", "Suspended";
    }
);
