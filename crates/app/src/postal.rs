//! 郵便番号 → address: the Japanese postal-code table shipped with kippu (`data/postal/`), read
//! once on the first look-up. A postal code typed any way (１００－０００１, 1000001, 100-0001)
//! is the same code.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

static TABLE_GZ: &[u8] = include_bytes!("../../../data/postal/jp_postal.tsv.gz");

/// The address a postal code stands for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PostalAddress {
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    pub town: String,
}

impl PostalAddress {
    /// `東京都千代田区千代田`: what goes first into an address field.
    pub fn line(&self) -> String {
        format!("{}{}{}", self.prefecture, self.city, self.town)
    }
}

fn table() -> &'static HashMap<u32, (String, String, String)> {
    static TABLE: OnceLock<HashMap<u32, (String, String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut text = String::new();
        if let Err(e) = flate2::read::GzDecoder::new(TABLE_GZ).read_to_string(&mut text) {
            // The table is compiled in; a broken one is a build defect, said loudly in the log.
            tracing::error!(%e, "the bundled postal-code table cannot be read");
            return HashMap::new();
        }
        text.lines()
            .filter_map(|l| {
                let mut f = l.split('\t');
                let code = f.next()?.parse().ok()?;
                Some((
                    code,
                    (f.next()?.to_string(), f.next()?.to_string(), f.next().unwrap_or("").to_string()),
                ))
            })
            .collect()
    })
}

/// The 7 digits of a postal code as typed (full-width, with or without the hyphen), or `None`.
pub fn digits(typed: &str) -> Option<String> {
    let d = kippu_domain::normalize::digits(&kippu_domain::normalize::text(typed));
    (d.len() == 7).then_some(d)
}

/// `1000001` → `100-0001`.
pub fn formatted(digits7: &str) -> String {
    format!("{}-{}", &digits7[..3], &digits7[3..])
}

/// The address of a postal code, if the table knows it.
pub fn lookup(typed: &str) -> Option<PostalAddress> {
    let d = digits(typed)?;
    let (prefecture, city, town) = table().get(&d.parse::<u32>().ok()?)?.clone();
    Some(PostalAddress {
        postal_code: formatted(&d),
        prefecture,
        city,
        town,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_typed_any_way_finds_its_address() {
        for typed in ["100-0001", "1000001", "１００－０００１", "〒100-0001"] {
            let a = lookup(typed).unwrap_or_else(|| panic!("{typed}"));
            assert_eq!(a.line(), "東京都千代田区千代田");
            assert_eq!(a.postal_code, "100-0001");
        }
    }

    #[test]
    fn codes_across_the_country_are_there() {
        assert_eq!(lookup("060-0000").unwrap().line(), "北海道札幌市中央区");
        assert_eq!(lookup("530-0001").unwrap().line(), "大阪府大阪市北区梅田");
        assert_eq!(lookup("900-0001").unwrap().prefecture, "沖縄県");
        assert!(table().len() > 120_000, "the whole table: {}", table().len());
    }

    #[test]
    fn an_unknown_or_malformed_code_finds_nothing() {
        assert_eq!(lookup("000-0000"), None);
        assert_eq!(lookup("12-345"), None);
        assert_eq!(lookup(""), None);
    }
}
