//! The `ibid` binary: parse, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::error::ErrorKind;
use ibid::cli::settings::{self, ParseError};
use ibid::cli::{self, Exit};

fn main() -> ExitCode {
    let cli = match settings::parse_args(std::env::args_os().collect()) {
        Ok((cli, _)) => cli,
        Err(ParseError::Clap(err))
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err @ ParseError::Clap(_)) => {
            // One line: what was wrong, and where to read more.
            eprintln!("error: {err} (see `ibid --help`)");
            return code(Exit::ToolError);
        }
        Err(err @ ParseError::Settings(_)) => {
            eprintln!(
                "error: {err}\n  = hint: every command-line option is a key; see README, \"ibid.toml\""
            );
            return code(Exit::ToolError);
        }
        Err(err @ ParseError::Environment { .. }) => {
            eprintln!(
                "error: {err}\n  = hint: unset the variable, or give the option on the command line"
            );
            return code(Exit::ToolError);
        }
    };
    // A panic (in ibid or in Typst) is a bug: say so in one line and exit 2,
    // never with Rust's default exit code and backtrace noise.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error{place}: {message} (this is a bug in ibid or Typst; please report it)"
        );
    }));
    match std::panic::catch_unwind(|| cli::run(cli)) {
        Ok(Ok(exit)) => code(exit),
        Ok(Err(err)) => {
            eprintln!("error: {err}");
            code(Exit::ToolError)
        }
        Err(_) => code(Exit::ToolError),
    }
}

fn code(exit: Exit) -> ExitCode {
    ExitCode::from(exit as u8)
}
