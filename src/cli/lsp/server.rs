//! The main loop: the handshake, then each message answered in turn.
//! Edits only mark the project for a run; the run happens once the client
//! has been quiet for a pause as long as the last run took (between
//! [`MIN_PAUSE`] and [`MAX_PAUSE`]: a small document is audited as soon as
//! the typing pauses, a large one waits to take a burst of edits in one
//! run), and the queued messages are all read; at once on open and save;
//! and at the latest [`MAX_DELAY`] after the first edit waiting.

use std::collections::BTreeSet;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, GotoDefinitionParams, GotoDefinitionResponse, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, MessageType, OneOf,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};

use super::position::LineIndex;
use super::project::{Project, handled};
use super::{actions, diagnostics, navigate};
use crate::cli::Exit;
use crate::cli::args::LspArgs;

/// The shortest and longest pause in typing after which an edit is audited.
const MIN_PAUSE: Duration = Duration::from_millis(30);
const MAX_PAUSE: Duration = Duration::from_millis(300);
/// The longest an edit waits for its run while the client keeps sending.
const MAX_DELAY: Duration = Duration::from_secs(2);
/// How often a running link check is looked at.
const LINK_POLL: Duration = Duration::from_millis(200);

struct Pending {
    due: Instant,
    since: Instant,
    check_links: bool,
}

struct Server<'a> {
    connection: &'a Connection,
    project: Option<Project>,
    /// The files whose diagnostics the client holds.
    published: BTreeSet<String>,
    pending: Option<Pending>,
    links_done: mpsc::Receiver<()>,
    shutdown: bool,
}

/// Serves one session; the exit code the session ended with.
pub fn serve(connection: &Connection, args: &LspArgs) -> Exit {
    let Some(params) = handshake(connection) else {
        return Exit::Failure;
    };
    let (done, links_done) = mpsc::channel();
    let project = match Project::open(args, None, done.clone()) {
        Ok(project) => Ok(project),
        // Started by an editor in another folder: the project is the
        // workspace's.
        Err(err) => match (args.input.is_none(), workspace(&params)) {
            (true, Some(folder)) => ["thesis/main.typ", "main.typ"]
                .iter()
                .map(|name| folder.join(name))
                .find(|input| input.is_file())
                .map_or(Err(err), |input| Project::open(args, Some(&input), done)),
            _ => Err(err),
        },
    };
    let project = match project {
        Ok(project) => Some(project),
        Err(err) => {
            let message = format!("ibid: cannot open the project: {err}");
            eprintln!("ibid lsp: {message}");
            notify::<ShowMessage>(
                connection,
                ShowMessageParams {
                    typ: MessageType::ERROR,
                    message,
                },
            );
            None
        }
    };
    let mut server = Server {
        connection,
        project,
        published: BTreeSet::new(),
        pending: None,
        links_done,
        shutdown: false,
    };
    server.main_loop()
}

/// The folder the client opened.
fn workspace(params: &InitializeParams) -> Option<std::path::PathBuf> {
    #[allow(deprecated)]
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first().map(|f| f.uri.clone()))
        .or_else(|| params.root_uri.clone())?;
    uri.to_file_path().ok()
}

/// Answers `initialize` (requests before it are refused, as the protocol
/// says); `None` when the client leaves first.
fn handshake(connection: &Connection) -> Option<InitializeParams> {
    loop {
        match connection.receiver.recv().ok()? {
            Message::Request(request) if request.method == "initialize" => {
                match serde_json::from_value::<InitializeParams>(request.params) {
                    Ok(params) => {
                        let result = InitializeResult {
                            capabilities: capabilities(),
                            server_info: Some(ServerInfo {
                                name: "ibid".into(),
                                version: Some(env!("CARGO_PKG_VERSION").into()),
                            }),
                        };
                        send(connection, Response::new_ok(request.id, result));
                        return Some(params);
                    }
                    Err(err) => send(connection, invalid_params(request.id, &err)),
                }
            }
            Message::Request(request) => send(
                connection,
                Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized".into(),
                ),
            ),
            Message::Notification(n) if n.method == "exit" => return None,
            _ => {}
        }
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL),
            ]),
            ..Default::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..Default::default()
    }
}

impl Server<'_> {
    fn main_loop(&mut self) -> Exit {
        loop {
            // Whether a check runs is read before its news: a check that
            // ends in between has said so already.
            let checking = self.project.as_ref().is_some_and(Project::checking_links);
            if self.links_done.try_recv().is_ok() {
                while self.links_done.try_recv().is_ok() {}
                if let Some(project) = &mut self.project {
                    project.merge_links(false);
                    self.publish();
                }
            }
            let now = Instant::now();
            let mut timeout = self
                .pending
                .as_ref()
                .map(|p| p.due.saturating_duration_since(now));
            if checking {
                timeout = Some(timeout.map_or(LINK_POLL, |t| t.min(LINK_POLL)));
            }
            let received = match timeout {
                Some(timeout) => match self.connection.receiver.recv_timeout(timeout) {
                    Ok(message) => Some(message),
                    Err(err) if err.is_timeout() => None,
                    Err(_) => return Exit::Failure,
                },
                None => match self.connection.receiver.recv() {
                    Ok(message) => Some(message),
                    Err(_) => return Exit::Failure,
                },
            };
            if let Some(message) = received
                && let Some(exit) = self.handle(message)
            {
                return exit;
            }
            if let Some(pending) = &self.pending {
                let now = Instant::now();
                let quiet = now >= pending.due && self.connection.receiver.is_empty();
                if quiet || now >= pending.since + MAX_DELAY {
                    self.audit_now();
                }
            }
        }
    }

    /// Marks the project for a run after `delay`.
    fn schedule(&mut self, delay: Duration, check_links: bool) {
        let now = Instant::now();
        let pending = self.pending.get_or_insert(Pending {
            due: now,
            since: now,
            check_links: false,
        });
        pending.due = (now + delay).min(pending.since + MAX_DELAY);
        pending.check_links |= check_links;
    }

    fn audit_now(&mut self) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let Some(project) = &mut self.project else {
            return;
        };
        project.run(pending.check_links);
        eprintln!(
            "ibid lsp: audited in {} ms: {} findings",
            project.last.took.as_millis(),
            project.last.findings.len()
        );
        self.publish();
    }

    /// Sends every file's diagnostics, and an empty list to each file that
    /// had some and has none now.
    fn publish(&mut self) {
        let Some(project) = &self.project else {
            return;
        };
        let files = diagnostics::by_file(project);
        let cleared: Vec<String> = self
            .published
            .iter()
            .filter(|f| !files.contains_key(*f))
            .cloned()
            .collect();
        let lists = files
            .into_iter()
            .chain(cleared.into_iter().map(|f| (f, Vec::new())));
        let mut published = BTreeSet::new();
        for (file, list) in lists {
            let Ok(uri) = Url::from_file_path(project.absolute(&file)) else {
                continue;
            };
            if !list.is_empty() {
                published.insert(file);
            }
            notify::<PublishDiagnostics>(
                self.connection,
                PublishDiagnosticsParams::new(uri, list, None),
            );
        }
        self.published = published;
    }

    /// Handles one message; the exit code once the client says `exit`.
    fn handle(&mut self, message: Message) -> Option<Exit> {
        match message {
            Message::Request(request) => {
                let response = self.request(request);
                send(self.connection, response);
                None
            }
            Message::Notification(notification) if notification.method == "exit" => {
                Some(if self.shutdown {
                    Exit::Success
                } else {
                    Exit::Failure
                })
            }
            Message::Notification(notification) => {
                self.notification(notification);
                None
            }
            Message::Response(_) => None,
        }
    }

    fn request(&mut self, request: Request) -> Response {
        let Request { id, method, params } = request;
        if self.shutdown {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            );
        }
        match method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Response::new_ok(id, ())
            }
            "initialize" => Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".into(),
            ),
            CodeActionRequest::METHOD => match serde_json::from_value::<CodeActionParams>(params) {
                Ok(params) => {
                    // The actions are located in the text as it is now.
                    self.audit_now();
                    let actions = self
                        .file_of(&params.text_document.uri)
                        .map(|(project, file)| actions::code_actions(project, &file, &params))
                        .unwrap_or_default();
                    Response::new_ok(id, actions)
                }
                Err(err) => invalid_params(id, &err),
            },
            GotoDefinition::METHOD => {
                match serde_json::from_value::<GotoDefinitionParams>(params) {
                    Ok(params) => {
                        let at = &params.text_document_position_params;
                        let location = self.offset_of(&at.text_document.uri, at.position).and_then(
                            |(project, file, offset)| navigate::definition(project, &file, offset),
                        );
                        Response::new_ok(id, location.map(GotoDefinitionResponse::Scalar))
                    }
                    Err(err) => invalid_params(id, &err),
                }
            }
            References::METHOD => {
                match serde_json::from_value::<lsp_types::ReferenceParams>(params) {
                    Ok(params) => {
                        let at = &params.text_document_position;
                        let declaration = params.context.include_declaration;
                        let locations = self
                            .offset_of(&at.text_document.uri, at.position)
                            .map(|(project, file, offset)| {
                                navigate::references(project, &file, offset, declaration)
                            })
                            .unwrap_or_default();
                        Response::new_ok(id, locations)
                    }
                    Err(err) => invalid_params(id, &err),
                }
            }
            HoverRequest::METHOD => match serde_json::from_value::<HoverParams>(params) {
                Ok(params) => {
                    let at = &params.text_document_position_params;
                    let hover = self.offset_of(&at.text_document.uri, at.position).and_then(
                        |(project, file, offset)| navigate::hover(project, &file, offset),
                    );
                    Response::new_ok(id, hover)
                }
                Err(err) => invalid_params(id, &err),
            },
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown method {method}"),
            ),
        }
    }

    /// The project and the root-relative path of a document it looks at.
    fn file_of(&self, uri: &Url) -> Option<(&Project, String)> {
        let project = self.project.as_ref()?;
        let path = uri.to_file_path().ok()?;
        let file = project.relative(&path)?;
        handled(&file).then_some((project, file))
    }

    /// The byte offset of a position in a document as the editor has it.
    fn offset_of(
        &self,
        uri: &Url,
        position: lsp_types::Position,
    ) -> Option<(&Project, String, usize)> {
        let (project, file) = self.file_of(uri)?;
        let text = project.text(&file)?;
        let offset = LineIndex::new(&text).offset(position);
        Some((project, file, offset))
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        let result = match method.as_str() {
            DidOpenTextDocument::METHOD => {
                serde_json::from_value(params).map(|p: DidOpenTextDocumentParams| {
                    let doc = p.text_document;
                    if let Some(file) = self.file_of(&doc.uri).map(|(_, f)| f)
                        && let Some(project) = &mut self.project
                    {
                        project.set_buffer(file, doc.text);
                        self.schedule(Duration::ZERO, true);
                    }
                })
            }
            DidChangeTextDocument::METHOD => {
                serde_json::from_value(params).map(|p: DidChangeTextDocumentParams| {
                    if let Some(file) = self.file_of(&p.text_document.uri).map(|(_, f)| f)
                        && let Some(project) = &mut self.project
                        && let Some(text) = project.buffer_mut(&file)
                    {
                        for change in p.content_changes {
                            match change.range {
                                Some(range) => {
                                    let bytes = LineIndex::new(text).byte_range(range);
                                    text.replace_range(bytes, &change.text);
                                }
                                None => *text = change.text,
                            }
                        }
                        let pause = project.last.took.clamp(MIN_PAUSE, MAX_PAUSE);
                        self.schedule(pause, false);
                    }
                })
            }
            DidSaveTextDocument::METHOD => {
                serde_json::from_value(params).map(|p: DidSaveTextDocumentParams| {
                    if let Some(file) = self.file_of(&p.text_document.uri).map(|(_, f)| f)
                        && let Some(project) = &mut self.project
                    {
                        if let Some(text) = p.text {
                            project.set_buffer(file, text);
                        }
                        self.schedule(Duration::ZERO, true);
                    }
                })
            }
            DidCloseTextDocument::METHOD => {
                serde_json::from_value(params).map(|p: DidCloseTextDocumentParams| {
                    if let Some(file) = self.file_of(&p.text_document.uri).map(|(_, f)| f)
                        && let Some(project) = &mut self.project
                    {
                        project.close_buffer(&file);
                        self.schedule(Duration::ZERO, false);
                    }
                })
            }
            _ => Ok(()),
        };
        if let Err(err) = result {
            eprintln!("ibid lsp: {method}: invalid parameters: {err}");
        }
    }
}

fn send(connection: &Connection, message: impl Into<Message>) {
    // A client gone is seen by the loop, as its end closing.
    let _ = connection.sender.send(message.into());
}

fn notify<N: lsp_types::notification::Notification>(connection: &Connection, params: N::Params) {
    send(connection, Notification::new(N::METHOD.to_string(), params));
}

fn invalid_params(id: RequestId, err: &serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("invalid parameters: {err}"),
    )
}
