//! The OPC package: the zip container, guarded against zip bombs, and the
//! relationship parts that name the document's other parts.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::xml::{Ev, Xml, attr_local};
use super::{DocxError, Limits};

const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// How an RTF file begins (Word saves one under a `.doc` name too).
const RTF_SIGNATURE: &[u8] = b"{\\rtf";

/// Says what a non-zip input is, before trying to open it as a zip.
pub(crate) fn sniff(bytes: &[u8]) -> Result<(), DocxError> {
    if bytes.starts_with(&OLE_SIGNATURE) {
        // An encrypted OOXML file is an OLE compound file holding the streams
        // "EncryptionInfo" and "EncryptedPackage"; directory entry names are
        // UTF-16LE.
        if contains(bytes, &utf16le("EncryptedPackage"))
            || contains(bytes, &utf16le("EncryptionInfo"))
        {
            return Err(DocxError::Encrypted);
        }
        return Err(DocxError::LegacyDoc);
    }
    if !bytes.starts_with(b"PK") {
        let what = if bytes.starts_with(RTF_SIGNATURE) {
            "an RTF file"
        } else if bytes.starts_with(b"%PDF") {
            "a PDF file"
        } else if bytes.is_empty() {
            "an empty file"
        } else {
            "not a zip archive"
        };
        return Err(DocxError::NotZip {
            detail: what.to_string(),
        });
    }
    Ok(())
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

pub(crate) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    limits: &'a Limits,
    read_total: u64,
}

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Self, DocxError> {
        sniff(bytes)?;
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotZip {
            detail: e.to_string(),
        })?;
        if zip.len() > limits.max_entries {
            return Err(DocxError::TooManyEntries {
                count: zip.len(),
                limit: limits.max_entries,
            });
        }
        let names = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        Ok(Package {
            zip,
            names,
            limits,
            read_total: 0,
        })
    }

    /// The entry name as stored, matched case-insensitively (OPC part names
    /// are case-insensitive), with or without a leading '/'.
    fn find(&self, part: &str) -> Option<String> {
        let part = part.trim_start_matches('/');
        self.names
            .iter()
            .find(|n| n.as_str() == part)
            .or_else(|| self.names.iter().find(|n| n.eq_ignore_ascii_case(part)))
            .cloned()
    }

    pub(crate) fn has(&self, part: &str) -> bool {
        self.find(part).is_some()
    }

    /// Reads a part through a size-limited reader: the declared size is not
    /// trusted. `Ok(None)` when the part does not exist.
    pub(crate) fn read(&mut self, part: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let Some(name) = self.find(part) else {
            return Ok(None);
        };
        let remaining_total = self.limits.max_total_bytes.saturating_sub(self.read_total);
        let cap = self.limits.max_part_bytes.min(remaining_total);
        let file = self.zip.by_name(&name).map_err(|e| DocxError::Zip {
            part: name.clone(),
            detail: e.to_string(),
        })?;
        let mut out = Vec::new();
        file.take(cap.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| DocxError::Zip {
                part: name.clone(),
                detail: e.to_string(),
            })?;
        if out.len() as u64 > cap {
            return Err(if cap < self.limits.max_part_bytes {
                DocxError::TooLarge {
                    limit: self.limits.max_total_bytes,
                }
            } else {
                DocxError::PartTooLarge {
                    part: name,
                    limit: self.limits.max_part_bytes,
                }
            });
        }
        self.read_total += out.len() as u64;
        Ok(Some(out))
    }
}

/// One relationship of a `.rels` part.
#[derive(Debug, Clone)]
pub(crate) struct Rel {
    pub(crate) kind: String,
    pub(crate) target: String,
    pub(crate) external: bool,
}

/// Parses a `.rels` part: Id → relationship.
pub(crate) fn parse_rels(
    bytes: &[u8],
    part: &str,
    limits: &Limits,
) -> Result<HashMap<String, Rel>, DocxError> {
    let mut xml = Xml::new(bytes, part, limits.max_depth);
    let mut rels = HashMap::new();
    loop {
        match xml.next()? {
            Ev::Start(e) | Ev::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let (Some(id), Some(target)) = (attr_local(&e, b"Id"), attr_local(&e, b"Target"))
                else {
                    continue;
                };
                let kind = attr_local(&e, b"Type").unwrap_or_default();
                let external = attr_local(&e, b"TargetMode")
                    .is_some_and(|m| m.eq_ignore_ascii_case("External"));
                rels.insert(
                    id,
                    Rel {
                        kind,
                        target,
                        external,
                    },
                );
                if rels.len() > super::MAX_DEFS {
                    return Err(DocxError::TooMany {
                        what: "relationships",
                        limit: super::MAX_DEFS,
                    });
                }
            }
            Ev::Eof => return Ok(rels),
            _ => {}
        }
    }
}

/// Resolves a relationship target against the folder of its source part
/// (`word/document.xml` + `footnotes.xml` → `word/footnotes.xml`).
pub(crate) fn resolve_target(source_part: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut segs: Vec<&str> = source_part.split('/').collect();
    segs.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// The `.rels` part of a part: `word/document.xml` → `word/_rels/document.xml.rels`.
pub(crate) fn rels_part_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The target of the first relationship whose type ends with `/suffix`.
pub(crate) fn target_of_type(
    rels: &HashMap<String, Rel>,
    source_part: &str,
    suffix: &str,
) -> Option<String> {
    let mut found: Vec<(&String, &Rel)> = rels
        .iter()
        .filter(|(_, r)| !r.external && r.kind.rsplit('/').next() == Some(suffix))
        .collect();
    found.sort_by(|a, b| a.0.cmp(b.0));
    found
        .first()
        .map(|(_, r)| resolve_target(source_part, &r.target))
}
