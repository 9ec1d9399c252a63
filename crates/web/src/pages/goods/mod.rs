//! 出荷 (goods, seed 002): the order list with the manual's tabs, an order with its
//! destinations and the actions the goods rule allows, and 出荷データ一括登録.

mod ad_code;
mod bulk;
mod detail;
mod edit;
mod history;
mod import;
mod layouts;
mod list;
mod mail;
mod points;
mod said;

pub use ad_code::save as save_ad_code;
pub use bulk::bulk;
pub use detail::{act, detail, edit_destination};
pub use edit::{save as save_edit, show as edit};
pub use import::{import, import_page, import_run};
pub use layouts::{create as create_layout, delete as delete_layout, edit as edit_layout, list as layouts, update as update_layout};
pub use list::{download, export_b2, export_labels, list};
pub use mail::{draft as mail_draft, send as mail_send};
pub use points::{change as change_points, list as points, order_href};
