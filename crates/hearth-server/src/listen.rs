//! Accepting connections. `axum::serve` keeps a connection that never
//! finishes its request headers open for ever, so a few hundred idle sockets
//! could stall the server; here each connection must send its headers within
//! a time limit, and only so many are held at once (the rest wait in the
//! kernel's queue).

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request's headers must arrive within this long.
    pub header_read: Duration,
    /// Connections held open at once.
    pub connections: usize,
    /// After shutdown is asked for, requests under way get this long to finish.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            connections: 512,
            drain: Duration::from_secs(10),
        }
    }
}

/// Serves `app` until `shutdown` completes; each request knows its peer's
/// address (`ConnectInfo`), which the sign-in back-off counts by.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A response written in more than one piece (a streamed export, a
        // body after its headers) must not wait for the client's delayed
        // acknowledgement of the first.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::warn!(error = %e, "could not turn off Nagle's delay");
        }
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut()
                .insert(ConnectInfo::<std::net::SocketAddr>(peer));
            let app = app.clone();
            async move {
                Ok::<_, Infallible>(
                    app.oneshot(req.map(axum::body::Body::new))
                        .await
                        .unwrap_or_else(|never| match never {}),
                )
            }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let connection = crate::self_wake::Rewoken::new(connection);
        tokio::spawn(async move {
            // A client that goes away or sends garbage ends its own connection only.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.drain) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn start(limits: Limits) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route(
            "/",
            axum::routing::get(|ConnectInfo(p): ConnectInfo<SocketAddr>| async move {
                format!("hello {}", p.ip())
            }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel();
        tokio::spawn(serve(listener, app, limits, async {
            let _ = stopped.await;
        }));
        (addr, stop)
    }

    async fn get(addr: SocketAddr) -> String {
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn half_sent_headers_are_cut_off_and_idle_sockets_do_not_stall_anyone() {
        let limits = Limits {
            header_read: Duration::from_millis(300),
            connections: 64,
            drain: Duration::from_secs(1),
        };
        let (addr, stop) = start(limits).await;
        assert!(get(addr).await.ends_with("hello 127.0.0.1"));
        // More idle sockets than the server holds at once, each mid-header.
        let mut idle = Vec::new();
        for _ in 0..100 {
            let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
            c.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
            idle.push(c);
        }
        let started = std::time::Instant::now();
        let answered = tokio::time::timeout(Duration::from_secs(5), get(addr))
            .await
            .expect("answered once the idle ones are cut off");
        assert!(answered.ends_with("hello 127.0.0.1"), "{answered}");
        assert!(started.elapsed() < Duration::from_secs(3));
        // The half-sent one is closed by the server, not left hanging.
        let mut buf = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(2), idle[0].read_to_end(&mut buf))
            .await
            .expect("closed within the limit");
        let _ended = closed;
        assert!(
            !String::from_utf8_lossy(&buf).contains("200 OK"),
            "never answered"
        );
        stop.send(()).unwrap();
    }
}
