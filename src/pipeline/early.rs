//! Network checks started before the compile. The bibliography does not
//! depend on layout: the files the sources declare are read first, and the
//! checks of their URLs and of their entries against the registries run
//! while Typst lays the document out. Once the compiled document says which
//! files it really read, the pipeline takes what was started if they are the
//! same files, and checks afresh otherwise.

use std::thread::JoinHandle;

use crate::bibliography::Bibliography;
use crate::document;
use crate::links::early::Early;
use crate::links::{self, LinkConfig};
use crate::registries::verify::{RegistryConfig, RegistryReport, verify_all};
use crate::world::IbidWorld;

/// The bibliography the sources declare, read before the compile, and the
/// checks already running on it.
pub struct Started {
    pub(super) files: Vec<String>,
    pub(super) bibliography: Bibliography,
    pub(super) links: Option<Early>,
    pub(super) registries: Option<JoinHandle<RegistryReport>>,
}

impl Started {
    /// The registries' report on this bibliography when `files` are the
    /// files it was read from; `None` (after the check has ended: it
    /// writes the cache) for another bibliography.
    pub(super) fn registries_for(
        registries: Option<JoinHandle<RegistryReport>>,
        same: bool,
    ) -> Option<RegistryReport> {
        let report = registries?.join().ok()?;
        same.then_some(report)
    }
}

/// Starts what can run before the compile: the checks of the declared
/// bibliography's URLs (`links`) and of its entries against the registries
/// (`registries`), each when asked for and online. `None` when nothing was
/// started, or the declared files cannot be read as named (the pipeline then
/// checks everything after the compile).
pub fn start(
    world: &IbidWorld,
    links: Option<&LinkConfig>,
    registries: Option<&RegistryConfig>,
) -> Option<Started> {
    let links = links.filter(|c| !c.offline);
    let registries = registries.filter(|c| !c.offline);
    if links.is_none() && registries.is_none() {
        return None;
    }
    let main = world.relative_name(typst::World::main(world));
    let files = crate::typeset::declared::declared(world, &main);
    if files.is_empty() {
        return None;
    }
    let bibliography = Bibliography::load(&|p| world.read_text(p), &files).ok()?;
    let links = links.and_then(|config| {
        let targets = links::collect::targets(&document::Document::default(), &bibliography);
        (!targets.is_empty()).then(|| {
            Early::start(
                targets,
                config,
                std::sync::Arc::new(links::resolve::SystemResolver),
            )
        })
    });
    let registries = registries.map(|config| {
        let (bibliography, config) = (bibliography.clone(), config.clone());
        std::thread::spawn(move || verify_all(&bibliography, &config))
    });
    Some(Started {
        files,
        bibliography,
        links,
        registries,
    })
}
