//! Splits a Markdown file into its YAML front matter and its body, by byte
//! ranges into the original text so that diagnostics keep real positions.

use std::ops::Range;

/// The outcome of looking for front matter at the top of a file.
#[derive(Debug, PartialEq, Eq)]
pub enum Split {
    /// `---` … `---` found: the YAML between and the body after.
    Found {
        yaml: Range<usize>,
        body: Range<usize>,
    },
    /// The file does not start with a `---` line.
    Missing,
    /// An opening `---` line (this range) with no closing one.
    Unclosed { open: Range<usize> },
}

/// Front matter opens with a line that is exactly `---` (trailing spaces and
/// `\r` allowed) and closes with the next `---` or `...` line.
pub fn split(text: &str) -> Split {
    let mut lines = LineIter { text, pos: 0 };
    let Some((first, first_range)) = lines.next() else {
        return Split::Missing;
    };
    if !is_fence(first, false) {
        return Split::Missing;
    }
    let yaml_start = first_range.end;
    for (line, range) in lines {
        if is_fence(line, true) {
            return Split::Found {
                yaml: yaml_start..range.start,
                body: range.end..text.len(),
            };
        }
    }
    Split::Unclosed {
        open: first_range.start..first_range.start + 3,
    }
}

fn is_fence(line: &str, closing: bool) -> bool {
    let l = line.trim_end_matches(['\r', ' ', '\t']);
    l == "---" || (closing && l == "...")
}

/// Lines with their byte ranges, each range including its newline.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let (line, len) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let range = self.pos..self.pos + len;
        self.pos += len;
        Some((line, range))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_front_matter_and_body() {
        let t = "---\ntitle: x\n---\nbody\n";
        assert_eq!(
            split(t),
            Split::Found {
                yaml: 4..13,
                body: 17..22
            }
        );
        let t = "---\r\ntitle: x\r\n...\r\nbody";
        let Split::Found { yaml, body } = split(t) else {
            panic!()
        };
        assert_eq!(&t[yaml], "title: x\r\n");
        assert_eq!(&t[body], "body");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split(""), Split::Missing);
        assert_eq!(split("# Title\n---\n"), Split::Missing);
        assert_eq!(split("---\ntitle: x\n"), Split::Unclosed { open: 0..3 });
        // `----` is not a fence.
        assert_eq!(split("----\n"), Split::Missing);
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        assert_eq!(
            split("---\n---"),
            Split::Found {
                yaml: 4..4,
                body: 7..7
            }
        );
    }
}
