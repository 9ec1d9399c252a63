use super::columns::{self, Column};
use super::*;

#[test]
fn a_merchant_starts_with_the_manuals_lists() {
    let c = Choices::defaults();
    assert_eq!(c.categories, ["電話", "メール", "手紙", "その他"]);
    assert_eq!(c.summaries, ["問い合わせ", "注文", "変更", "解約", "クレーム"]);
}

#[test]
fn a_list_drops_blank_lines_and_refuses_a_name_twice_naming_the_line() {
    assert_eq!(choice_list("categories", " 電話\r\n\nFAX\n").unwrap(), ["電話", "FAX"]);
    let e = choice_list("categories", "電話\nFAX\n電話").unwrap_err();
    assert!(e.message.contains("3行目"), "{e:?}");
    assert!(choice_list("categories", "\n \n").is_err());
}

#[test]
fn an_entry_names_an_unknown_category_and_an_empty_content() {
    let e = check(&Choices::defaults(), "FAX", "注文", "").unwrap_err();
    assert!(e.on("category").unwrap().contains("FAX"));
    assert!(e.on("content").is_some());
    assert!(e.on("summary").is_none());
}

#[test]
fn a_time_is_read_in_japan_time_with_slashes_or_dashes() {
    let t = parse_at("at", "2026/12/01 9:05").unwrap().unwrap();
    assert_eq!(crate::clock::format_jst(t), "2026-12-01 09:05");
    assert_eq!(parse_at("at", " ").unwrap(), None);
    assert!(parse_at("at", "2026-13-01 10:00").is_err());
    assert!(parse_at("at", "昨日").is_err());
}

#[test]
fn a_column_set_round_trips_and_refuses_an_unknown_title() {
    let cols = columns::parse_titles("csv_columns", "内容\n対応日時").unwrap();
    assert_eq!(cols, [Column::Content, Column::At]);
    assert_eq!(columns::from_stored(&columns::to_stored(&cols)).unwrap(), cols);
    let e = columns::parse_titles("csv_columns", "内容\n金額").unwrap_err();
    assert!(e.message.contains("2行目") && e.message.contains("金額"), "{e:?}");
}
