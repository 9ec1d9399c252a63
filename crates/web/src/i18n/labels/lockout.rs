//! Labels of the sign-in lock and its emailed unlock link; (key, Japanese, English).

pub const LABELS: &[(&str, &str, &str)] = &[
    ("unlock.title", "アカウントのロック解除", "Unlock your account"),
    (
        "unlock.lead",
        "ボタンを押すと、このアカウントのログインのロックを解除します。",
        "Press the button to lift the sign-in lock on this account.",
    ),
    ("unlock.submit", "ロックを解除する", "Unlock"),
    (
        "unlock.done",
        "ログインID {login_id} のロックを解除しました。ログインできます。",
        "The lock on login ID {login_id} is lifted. You can sign in now.",
    ),
    (
        "unlock.expired",
        "このURLは有効期限切れか、使用済みです。",
        "This link has expired or has already been used.",
    ),
];
