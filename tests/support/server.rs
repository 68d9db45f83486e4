//! A small HTTP/1.1 server on a loopback address, for link-check tests and
//! benchmarks: each path answers as its route says, and every request is
//! counted. It never touches anything but 127.0.0.0/8.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How a path answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A status with headers and a body.
    Status(u16, Vec<(String, String)>, String),
    /// A redirect to a path on this server.
    Redirect(u16, String),
    /// 200 with a binary body (a package archive).
    Bytes(Vec<u8>),
    /// Never answer (the connection stays open for a while, then closes).
    Hang,
    /// 200 with an endless body; the bytes sent are counted.
    Huge,
    /// 200 with a body that comes a byte every 100 ms, for a minute.
    Drip,
    /// The first `n` requests get `first`, the later ones `then`.
    Sequence(usize, Box<Reply>, Box<Reply>),
    /// Answer after a delay.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    pub fn ok() -> Self {
        Reply::Status(200, vec![], "<html>ok</html>".into())
    }

    pub fn status(code: u16) -> Self {
        Reply::Status(code, vec![], format!("status {code}"))
    }
}

struct State {
    routes: HashMap<String, Reply>,
    hits: Mutex<HashMap<String, usize>>,
    user_agents: Mutex<Vec<String>>,
    total: AtomicUsize,
    huge_bytes: AtomicUsize,
    /// Requests being answered now, and the most at once.
    open: AtomicUsize,
    most_open: AtomicUsize,
    stop: AtomicBool,
}

/// A running server; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
}

impl Server {
    /// Starts a server on `ip` (a loopback address) and a free port.
    pub fn start(ip: &str, routes: Vec<(&str, Reply)>) -> Self {
        let listener = TcpListener::bind((ip, 0)).expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            routes: routes
                .into_iter()
                .map(|(p, r)| (p.to_string(), r))
                .collect(),
            hits: Mutex::new(HashMap::new()),
            user_agents: Mutex::new(Vec::new()),
            total: AtomicUsize::new(0),
            huge_bytes: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            most_open: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Self { addr, state }
    }

    /// The URL of `path` (which may hold non-ASCII characters: clients
    /// percent-encode them, and routes are matched decoded).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests received, in all.
    pub fn requests(&self) -> usize {
        self.state.total.load(Ordering::SeqCst)
    }

    /// Requests received for one path.
    pub fn hits(&self, path: &str) -> usize {
        self.state
            .hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// The `User-Agent` of every request, in order of arrival.
    pub fn user_agents(&self) -> Vec<String> {
        self.state.user_agents.lock().unwrap().clone()
    }

    /// The most requests this server held at one time (arrived, not yet
    /// answered; a `Delayed` reply's wait counts).
    pub fn most_open(&self) -> usize {
        self.state.most_open.load(Ordering::SeqCst)
    }

    /// Body bytes sent by `Reply::Huge` routes.
    pub fn huge_bytes_sent(&self) -> usize {
        self.state.huge_bytes.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

fn serve(mut stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() || request_line.is_empty() {
        return;
    }
    // The headers: only the user agent is kept.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("user-agent")
        {
            state
                .user_agents
                .lock()
                .unwrap()
                .push(value.trim().to_string());
        }
        line.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let raw_path = target.split('?').next().unwrap_or("/");
    let path = ibid::bibliography::percent_decode(raw_path);
    state.total.fetch_add(1, Ordering::SeqCst);
    let count = {
        let mut hits = state.hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let reply = state
        .routes
        .get(&path)
        .cloned()
        .unwrap_or_else(|| Reply::status(404));
    // A request is open from its arrival until its answer starts: counted
    // closed before the bytes leave, so a client that sends its next
    // request the moment it reads this answer never seems to overlap it
    // (that race made the count exceed the client's real concurrency).
    let open = state.open.fetch_add(1, Ordering::SeqCst) + 1;
    state.most_open.fetch_max(open, Ordering::SeqCst);
    let reply = match reply {
        Reply::Delayed(delay, inner) => {
            std::thread::sleep(delay);
            *inner
        }
        reply => reply,
    };
    state.open.fetch_sub(1, Ordering::SeqCst);
    respond(&mut stream, reply, count, state);
}

fn respond(stream: &mut TcpStream, reply: Reply, count: usize, state: &State) {
    match reply {
        Reply::Status(code, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {code} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            let _ = stream.write_all(format!("{head}\r\n{body}").as_bytes());
        }
        Reply::Bytes(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Redirect(code, to) => {
            let head = format!(
                "HTTP/1.1 {code} X\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
        }
        Reply::Hang => std::thread::sleep(Duration::from_secs(15)),
        Reply::Huge => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..16_384 {
                match stream.write(&chunk) {
                    Ok(n) if n > 0 => {
                        state.huge_bytes.fetch_add(n, Ordering::SeqCst);
                    }
                    _ => return,
                }
            }
        }
        Reply::Drip => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..600 {
                if state.stop.load(Ordering::SeqCst) || stream.write_all(b"x").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Reply::Sequence(n, first, then) => respond(
            stream,
            if count <= n { *first } else { *then },
            count,
            state,
        ),
        Reply::Delayed(delay, reply) => {
            std::thread::sleep(delay);
            respond(stream, *reply, count, state);
        }
    }
}
