//! 【CSV出力】 of the list's search.

use super::search::Search;
use crate::ctx::SignedIn;
use crate::error::WebError;
use axum::extract::{Query, State};
use axum::response::Response;
use kippu_app::{App, AppError};

/// 【CSV出力】: exactly the current search, all pages. CP932 by default for Japanese users.
pub async fn export_csv(
    State(app): State<App>,
    s: SignedIn,
    Query(search): Query<Search>,
    Query(q): Query<crate::csv_stream::CsvQuery>,
) -> Result<Response, WebError> {
    s.user.actor.merchant().map_err(|_| WebError::NotFound)?;
    let enc = crate::csv_stream::encoding(&q, crate::csv_stream::default_for(s.ctx.lang))?;
    let (actor, filter) = (
        s.user.actor.clone(),
        search
            .filter(kippu_app::work_queue::auth_expiring_by(&app))
            .map_err(AppError::from)?,
    );
    Ok(crate::csv_stream::stream(&app.clone(), "orders", enc, move |tx| async move {
        kippu_app::orders::export::export(&app, &actor, filter, enc, tx).await
    }))
}
