//! A form's errors as its page shows them: each beside its field, all at once, with a summary at
//! the top saying how many. The app names fields as its API does (`customer.email`); a page maps
//! them to its inputs.

use kippu_domain::validate::FieldErrors;

#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    /// (input name, message), in the order the form checks them.
    fields: Vec<(String, String)>,
    /// A refusal that belongs to no field (sold out, a declined card).
    pub general: String,
}

impl FormErrors {
    /// The app's field errors on this form's inputs (`input_of` names the input of an app field).
    pub fn of(e: &FieldErrors, input_of: impl Fn(&'static str) -> &'static str) -> FormErrors {
        FormErrors {
            fields: e.all().iter().map(|f| (input_of(f.field).to_string(), f.message.clone())).collect(),
            general: String::new(),
        }
    }

    /// The app's field errors on inputs named at run time (a form with repeated blocks:
    /// `d1_name`); the first message an input gets is the one it shows.
    pub fn of_inputs(e: &FieldErrors, input_of: impl Fn(&'static str) -> String) -> FormErrors {
        let mut out = FormErrors::default();
        for f in e.all() {
            let name = input_of(f.field);
            if out.on(&name).is_empty() {
                out.fields.push((name, f.message.clone()));
            }
        }
        out
    }

    /// The app's field errors on inputs named like the fields.
    pub fn by_field(e: &FieldErrors) -> FormErrors {
        FormErrors::of(e, |f| f)
    }

    pub fn general(message: impl Into<String>) -> FormErrors {
        FormErrors {
            fields: Vec::new(),
            general: message.into(),
        }
    }

    /// Says `message` beside input `name` instead of what the app said there (a page that knows
    /// better words for its own input).
    pub fn set(&mut self, name: &str, message: &str) {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some(f) => f.1 = message.to_string(),
            None => self.fields.push((name.to_string(), message.to_string())),
        }
    }

    /// The first message, whichever field it is on.
    pub fn first_message(&self) -> String {
        self.fields.first().map_or_else(|| self.general.clone(), |(_, m)| m.clone())
    }

    /// The page's status: 200, or 422 when a field is refused.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.is_empty() {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    /// How many fields have an error.
    pub fn count(&self) -> usize {
        self.fields.len()
    }

    /// The first errors, (input name, message), for the summary's links down to them.
    pub fn first_few(&self) -> &[(String, String)] {
        &self.fields[..self.fields.len().min(10)]
    }

    /// The message beside input `name` ("" when it has none).
    pub fn on(&self, name: impl AsRef<str>) -> &str {
        let name = name.as_ref();
        self.fields.iter().find(|(n, _)| n == name).map_or("", |(_, m)| m.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kippu_domain::validate::{Collect, FieldError};

    #[test]
    fn every_error_lands_on_its_input() {
        let mut c = Collect::default();
        c.push(FieldError::new("customer.email", "メールアドレスの形式で入力してください"));
        c.push(FieldError::new("customer.kana", "全角カタカナで入力してください"));
        let e = FormErrors::of(&c.finish().unwrap_err(), |f| if f == "customer.email" { "email" } else { "kana" });
        assert_eq!(e.count(), 2);
        assert_eq!(e.on("email"), "メールアドレスの形式で入力してください");
        assert_eq!(e.on("kana"), "全角カタカナで入力してください");
        assert_eq!(e.on("name"), "");
    }
}
