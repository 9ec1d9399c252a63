//! A form posted with repeated names (checked rows, checked destinations, chosen columns), read
//! once. A form this site never sends is not found, as an unknown page would be.

use crate::error::WebError;

pub struct Posted(Vec<(String, String)>);

impl Posted {
    pub fn parse(body: &[u8]) -> Result<Posted, WebError> {
        serde_urlencoded::from_bytes(body).map(Posted).map_err(|_| WebError::NotFound)
    }

    /// The last value of `name` (a submit button's own value comes after the form's hidden
    /// fields), empty when absent.
    pub fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name`, in the form's order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}
