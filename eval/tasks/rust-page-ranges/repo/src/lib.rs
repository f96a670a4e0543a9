//! Page selections such as `1-3,5,8-9` for the print dialog.

use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, PartialEq, Eq)]
pub enum RangeError {
    /// A part that is not `n` or `a-b`.
    InvalidRange(String),
    /// A page outside the document.
    OutOfBounds(u32),
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeError::InvalidRange(part) => write!(f, "not a page range: {part:?}"),
            RangeError::OutOfBounds(page) => write!(f, "there is no page {page}"),
        }
    }
}

fn page(text: &str, page_count: u32) -> Result<u32, RangeError> {
    let n: u32 = text.parse().map_err(|_| RangeError::InvalidRange(text.to_string()))?;
    if n == 0 || n > page_count {
        return Err(RangeError::OutOfBounds(n));
    }
    Ok(n)
}

/// The pages a selection names, sorted and without duplicates.
pub fn parse_ranges(selection: &str, page_count: u32) -> Result<Vec<u32>, RangeError> {
    let mut pages = BTreeSet::new();
    for part in selection.split(',') {
        match part.split_once('-') {
            Some((start, end)) => {
                let (start, end) = (page(start, page_count)?, page(end, page_count)?);
                if start > end {
                    return Err(RangeError::InvalidRange(part.to_string()));
                }
                pages.extend(start..=end);
            }
            None => {
                pages.insert(page(part, page_count)?);
            }
        }
    }
    Ok(pages.into_iter().collect())
}
