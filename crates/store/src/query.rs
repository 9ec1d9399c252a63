//! A WHERE clause built from optional conditions, each `?` numbered in the order of its bind,
//! and the binding of those values: the search builder of the order list, the reservation list
//! and their exports.

pub(crate) enum Bind {
    I(i64),
    S(String),
}

/// Conditions joined by AND, each `?` numbered in order of its bind.
pub(crate) struct Where {
    pub(crate) conds: Vec<String>,
    pub(crate) binds: Vec<Bind>,
}

impl Where {
    pub(crate) fn add(&mut self, cond: &str, b: Bind) {
        self.binds.push(b);
        self.conds.push(cond.replace('?', &format!("${}", self.binds.len())));
    }
}

pub(crate) fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    binds: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    for b in binds {
        q = match b {
            Bind::I(i) => q.bind(i),
            Bind::S(s) => q.bind(s),
        };
    }
    q
}
