//! The client address a sign-in attempt is charged to: the TCP peer of the connection, as
//! `serve` records it (`ConnectInfo`). `X-Forwarded-For` is never read: any client can write it,
//! so trusting it would let an attacker pick a fresh address for every guess. Behind a reverse
//! proxy every client shares the proxy's address (see docs/decisions.md).

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The peer address, or `None` when the router runs without a socket (in-process calls).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}
