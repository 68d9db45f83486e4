//! The protocol over standard input and output: `Content-Length` framing
//! read and written on threads of their own, as lsp-server's stdio
//! transport, but a message that is not JSON-RPC is answered with the
//! protocol's error (id `null`) and skipped instead of ending the session,
//! and a frame larger than [`MAX_FRAME`] is skipped unread. Nothing but
//! protocol messages is ever written to standard output.

use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message};

/// The largest message read (a 10 MB paste is a 10 MB message).
pub const MAX_FRAME: usize = 64 * 1024 * 1024;

/// The reader and writer threads.
pub struct Threads {
    writer: JoinHandle<()>,
}

impl Threads {
    /// Waits until every message sent has been written (the senders must
    /// be dropped first). The reader is not waited for: it may be blocked
    /// on a client that keeps its end open.
    pub fn join(self) {
        let _ = self.writer.join();
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, Threads) {
    let (server, client) = Connection::memory();
    let stdout = Arc::new(Mutex::new(io::stdout()));
    let out = Arc::clone(&stdout);
    let Connection {
        sender: incoming,
        receiver: outgoing,
    } = client;
    let writer = std::thread::spawn(move || {
        for message in outgoing {
            let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
            if message.write(&mut *out).is_err() {
                // The client is gone: nothing more can be said.
                break;
            }
        }
    });
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        loop {
            match read_frame(&mut stdin) {
                Ok(None) => break,
                Ok(Some(Frame::Body(body))) => match parse(&body) {
                    Ok(message) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if incoming.send(message).is_err() || exit {
                            break;
                        }
                    }
                    Err(error) => write_raw(&stdout, &error),
                },
                Ok(Some(Frame::Skipped(why))) => eprintln!("ibid lsp: {why}"),
                Err(err) => {
                    eprintln!("ibid lsp: cannot read the client's messages: {err}");
                    break;
                }
            }
        }
    });
    (server, Threads { writer })
}

enum Frame {
    Body(Vec<u8>),
    /// A frame read past, and why.
    Skipped(String),
}

/// One frame: its headers, then `Content-Length` bytes. `None` at the end
/// of the input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut line = String::new();
    loop {
        line.clear();
        // A header line is short; one that is not is not a header.
        let read = input.by_ref().take(4096).read_line(&mut line)?;
        if read == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() || bad_header.is_some() {
                break;
            }
            // Blank lines between frames.
            continue;
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length: {:?}", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header: {header:?}")),
        }
    }
    let Some(length) = length else {
        return Ok(Some(Frame::Skipped(
            bad_header.unwrap_or_else(|| "a message without Content-Length".into()),
        )));
    };
    if length > MAX_FRAME {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(Frame::Skipped(format!(
            "a message of {length} bytes skipped (at most {MAX_FRAME})"
        ))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(Frame::Body(body)))
}

/// A message, or the JSON-RPC error that answers it.
fn parse(body: &[u8]) -> Result<Message, serde_json::Value> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|err| {
        error_response(
            -32700,
            &format!("parse error: {err}"),
            serde_json::Value::Null,
        )
    })?;
    let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
    serde_json::from_value(value)
        .map_err(|err| error_response(-32600, &format!("invalid request: {err}"), id))
}

fn error_response(code: i32, message: &str, id: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
}

fn write_raw(stdout: &Mutex<io::Stdout>, value: &serde_json::Value) {
    let text = value.to_string();
    let mut out = stdout.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = write!(out, "Content-Length: {}\r\n\r\n{text}", text.len());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<String> {
        let mut reader = io::BufReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(frame) = read_frame(&mut reader).unwrap() {
            out.push(match frame {
                Frame::Body(body) => String::from_utf8(body).unwrap(),
                Frame::Skipped(why) => format!("skipped: {why}"),
            });
        }
        out
    }

    #[test]
    fn frames_are_read_by_their_length() {
        let input = "Content-Length: 2\r\n\r\n{}Content-Length: 4\r\nContent-Type: x\r\n\r\nnull";
        assert_eq!(frames(input), ["{}", "null"]);
    }

    #[test]
    fn a_bad_header_is_skipped_and_reading_goes_on() {
        let input = "Content-Length: x\r\n\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(frames(input), ["skipped: bad Content-Length: \"x\"", "{}"]);
    }

    #[test]
    fn malformed_json_is_a_parse_error_and_not_a_message_an_invalid_request() {
        let error = parse(b"{not json").unwrap_err();
        assert_eq!(error["error"]["code"], -32700);
        assert_eq!(error["id"], serde_json::Value::Null);
        let error = parse(br#"{"id": 7, "method": 3}"#).unwrap_err();
        assert_eq!(error["error"]["code"], -32600);
        assert_eq!(error["id"], 7);
        assert!(parse(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#).is_ok());
    }
}
