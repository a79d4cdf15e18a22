//! The accept loop: HTTP/1.1 connections with a header-read timeout, an idle timeout, a
//! connection limit and graceful shutdown.
//!
//! `axum::serve` has none of the first three, so one slow client per file descriptor could
//! stop the server (issue 12: 1,100 half-sent headers against `ulimit -n` 1,024). Each
//! accepted connection takes a permit of a semaphore; when none is left the connection is
//! answered `503` (best effort) and closed at once rather than held, so the server never has
//! more than [`Limits::max_connections`] sockets of clients open.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// What the accept loop allows each connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// A request's header must arrive whole within this time, counted from the connection's
    /// start or the end of the previous response (so it is also the keep-alive idle limit).
    pub(crate) header_read_timeout: Duration,
    /// A connection on which no byte moves either way for this long is closed (a body sent
    /// too slowly, a response not read).
    pub(crate) idle_timeout: Duration,
    /// Connections open at once; more are refused.
    pub(crate) max_connections: usize,
    /// How long shutdown waits for requests in flight before it gives up on them.
    pub(crate) drain_timeout: Duration,
}

/// The refusal written to a connection over the limit (the request is not read).
const BUSY: &[u8] = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Length: 36\r\n\r\n服务器繁忙，请稍后重试。"
    .as_bytes();

/// Serve `app` on `listener` until `shutdown` completes; then stop accepting, let the
/// requests in flight finish (at most [`Limits::drain_timeout`]) and return.
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refused = AtomicU64::new(0);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or memory: wait rather than spin; a connection
                    // reset before it was accepted is nothing.
                    if !matches!(e.kind(), io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset) {
                        eprintln!("quanze: accepting a connection failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            let n = refused.fetch_add(1, Ordering::Relaxed);
            if n.is_multiple_of(1000) {
                eprintln!(
                    "quanze: {} connections open (the limit): connection refused ({} refused so far)",
                    limits.max_connections,
                    n + 1
                );
            }
            // Best effort and without waiting: a client that sent nothing yet reads the 503.
            let _ = stream.try_write(BUSY);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(remote));
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let conn = http.serve_connection(TokioIo::new(Idle::new(stream, limits.idle_timeout)), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Timeouts and clients that go away end here; neither is the server's error.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.drain_timeout) => {
            eprintln!("quanze: requests still running after {:?}; stopping anyway", limits.drain_timeout);
        }
    }
    Ok(())
}

/// A stream that fails with `TimedOut` once no byte has moved either way for `limit`.
struct Idle {
    inner: TcpStream,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
}

impl Idle {
    fn new(inner: TcpStream, limit: Duration) -> Idle {
        Idle { inner, limit, timer: Box::pin(tokio::time::sleep(limit)) }
    }

    fn moved(&mut self) {
        let next = Instant::now() + self.limit;
        self.timer.as_mut().reset(next);
    }

    /// Called when the stream has nothing to give: the timer decides whether to wait on.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        self.timer.as_mut().poll(cx).is_ready()
    }
}

fn idle_error() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "connection idle")
}

impl AsyncRead for Idle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.moved();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for Idle {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.moved();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.moved();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
