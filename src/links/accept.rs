//! Which status codes count as success (`--accept`), written as lychee
//! users write them: codes and ranges joined by commas, `200..=299,403`,
//! `..300`, `403`.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

/// A set of accepted status codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accept(Vec<RangeInclusive<u16>>);

impl Default for Accept {
    /// lychee's default: informational 100–103 and every 2xx.
    fn default() -> Self {
        Self(vec![100..=103, 200..=299])
    }
}

impl Accept {
    pub fn contains(&self, code: u16) -> bool {
        self.0.iter().any(|range| range.contains(&code))
    }
}

/// Why a selector could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot read `{part}` in `{text}`: expected a status code (100-999) or a range such as `200..=299`"
)]
pub struct AcceptError {
    text: String,
    part: String,
}

impl FromStr for Accept {
    type Err = AcceptError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |part: &str| AcceptError {
            text: text.to_string(),
            part: part.to_string(),
        };
        let code = |s: &str, default: u16| -> Option<u16> {
            let s = s.trim();
            if s.is_empty() {
                return Some(default);
            }
            s.parse().ok().filter(|c| (100..=999).contains(c))
        };
        let mut ranges = Vec::new();
        for part in text.split(',').map(str::trim) {
            let range = if let Some((start, end)) = part.split_once("..=") {
                code(start, 100).zip(code(end, 999)).map(|(s, e)| s..=e)
            } else if let Some((start, end)) = part.split_once("..") {
                code(start, 100)
                    .zip(code(end, 1000).filter(|&e| e > 100))
                    .map(|(s, e)| s..=e - 1)
            } else {
                code(part, 0).filter(|&c| c != 0).map(|c| c..=c)
            };
            match range {
                Some(range) if range.start() <= range.end() => ranges.push(range),
                _ => return Err(error(part)),
            }
        }
        Ok(Self(ranges))
    }
}

impl fmt::Display for Accept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|r| {
                if r.start() == r.end() {
                    r.start().to_string()
                } else {
                    format!("{}..={}", r.start(), r.end())
                }
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lychee_syntax() {
        let accept: Accept = "200..=299,403".parse().unwrap();
        assert!(accept.contains(204) && accept.contains(403) && !accept.contains(404));
        let accept: Accept = "..300".parse().unwrap();
        assert!(accept.contains(100) && accept.contains(299) && !accept.contains(300));
        let accept: Accept = "429".parse().unwrap();
        assert!(accept.contains(429) && !accept.contains(200));
        assert_eq!(Accept::default().to_string(), "100..=103,200..=299");
    }

    #[test]
    fn what_cannot_be_read_says_so() {
        for bad in ["", "abc", "300..=200", "200,,300", "99", "1000", "..=50"] {
            let err = bad.parse::<Accept>().unwrap_err();
            assert!(
                err.to_string().contains("expected a status code"),
                "{bad}: {err}"
            );
        }
    }
}
