//! 代理注文管理's settings pages: code coupons and AD codes (媒体).

pub mod ad_codes;
pub mod coupons;
pub mod courses;
pub mod report;

/// An on/off form's value: `1` is on.
#[derive(serde::Deserialize)]
pub struct Switch {
    #[serde(default)]
    on: String,
}

impl Switch {
    pub fn on(&self) -> bool {
        self.on == "1"
    }
}
