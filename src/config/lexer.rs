//! The two tokenisers keepalived uses on a logical line.
//!
//! * [`words`]: ordinary keywords. Split on blanks; only double quotes group
//!   (`"a b"` is one word, quotes removed, no escapes); a `"` inside a word
//!   ends the word; single quotes are ordinary characters.
//! * [`shell_words`]: script, notify and FIFO command strings. Shell-like:
//!   `"` and `'` quote and may be glued to text, backslash escapes
//!   (`\a \b \E \f \n \r \t \v`, octal `\nnn`, hex `\xHH`, control `\cC`, `\C`).
//!
//! Must not: know about keywords or blocks.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_till, take_while, take_while1},
    character::complete::{anychar, one_of},
    combinator::{map, opt, rest},
    sequence::preceded,
};

/// keepalived's WHITE_SPACE set.
pub fn is_white(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0c' | '\n' | '\r' | '\x0b')
}

/// A tokenising failure: keepalived reports it and keeps the words found so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexError {
    /// `Unmatched quote: '%s'` (ordinary words)
    UnmatchedQuote,
    /// `String '%s': missing terminating %c` (shell words)
    MissingTerminating(char),
    /// `Missing escape char at end: '%s'` (shell words; a log message only)
    MissingEscape,
}

fn blanks(i: &str) -> IResult<&str, &str> {
    take_while(is_white)(i)
}

/// One ordinary word: a double-quoted string (without its quotes) or a run of
/// characters up to a blank or a `"`.
fn word(i: &str) -> IResult<&str, Option<&str>> {
    alt((
        map(
            preceded(tag("\""), (take_till(|c| c == '"'), opt(tag("\"")))),
            |(s, close): (&str, Option<&str>)| close.map(|_| s),
        ),
        map(take_while1(|c: char| !is_white(c) && c != '"'), Some),
    ))
    .parse(i)
}

/// Split an ordinary keyword line into words (keepalived `alloc_strvec_r`).
/// On an unterminated `"`, returns the words before it and the error.
pub fn words(line: &str) -> (Vec<String>, Option<LexError>) {
    let mut out = Vec::new();
    let mut input = line;
    loop {
        let (i, _) = blanks(input).unwrap_or((input, ""));
        if i.is_empty() {
            return (out, None);
        }
        match word(i) {
            Ok((rest, Some(w))) => {
                out.push(w.to_string());
                input = rest;
            }
            Ok((_, None)) => return (out, Some(LexError::UnmatchedQuote)),
            Err(_) => return (out, None), // unreachable: a non-blank always starts a word
        }
    }
}

/// One backslash escape, after the `\`: returns the byte it stands for.
fn escape(i: &str) -> IResult<&str, u8> {
    alt((
        // \xHH... : every following hex digit is shifted in (keepalived wraps at 8 bits)
        map(
            preceded(tag("x"), take_while1(|c: char| c.is_ascii_hexdigit())),
            |h: &str| {
                h.chars()
                    .fold(0u8, |acc, c| (acc << 4) | c.to_digit(16).unwrap_or(0) as u8)
            },
        ),
        // \cC : control character
        map(preceded(tag("c"), anychar), |c: char| {
            (c as u32 as u8) & 0x1f
        }),
        // \nnn : up to three octal digits
        map(take_while_m_n_octal, |o: &str| {
            o.chars().fold(0u8, |acc, c| {
                acc.wrapping_shl(3).wrapping_add(c as u8 - b'0')
            })
        }),
        map(one_of("abEfnrtv"), |c| match c {
            'a' => 0x07,
            'b' => 0x08,
            'E' => 0x1b,
            'f' => 0x0c,
            'n' => b'\n',
            'r' => b'\r',
            't' => b'\t',
            _ => 0x0b,
        }),
    ))
    .parse(i)
}

fn take_while_m_n_octal(i: &str) -> IResult<&str, &str> {
    nom::bytes::complete::take_while_m_n(1, 3, |c: char| ('0'..='7').contains(&c)).parse(i)
}

/// Split a command string the way keepalived does for scripts
/// (`alloc_strvec_quoted_escaped`). Returns byte strings: escapes can produce
/// any byte. On error the whole line is rejected (keepalived returns nothing).
pub fn shell_words(line: &str) -> Result<Vec<Vec<u8>>, LexError> {
    let mut out = Vec::new();
    let mut input = line;
    loop {
        input = input.trim_start_matches(is_white);
        if input.is_empty() {
            return Ok(out);
        }
        let mut cur: Vec<u8> = Vec::new();
        let mut quote: Option<char> = None;
        loop {
            let Some(c) = input.chars().next() else {
                if let Some(q) = quote {
                    return Err(LexError::MissingTerminating(q));
                }
                break;
            };
            match (quote, c) {
                (_, '\\') => {
                    let after = &input[1..];
                    if after.is_empty() {
                        return Err(LexError::MissingEscape);
                    }
                    // Any other escaped character stands for itself.
                    let parsed: IResult<&str, u8> = escape(after);
                    match parsed {
                        Ok((r, b)) => {
                            cur.push(b);
                            input = r;
                        }
                        Err(_) => {
                            let (ch, r) = split_first_char(after);
                            push_char(&mut cur, ch);
                            input = r;
                        }
                    }
                }
                (Some(q), c) if c == q => {
                    quote = None;
                    input = &input[1..];
                }
                (None, '"' | '\'') => {
                    quote = Some(c);
                    input = &input[1..];
                }
                (None, c) if is_white(c) => break,
                (_, c) => {
                    push_char(&mut cur, c);
                    input = &input[c.len_utf8()..];
                }
            }
        }
        out.push(cur);
    }
}

fn split_first_char(s: &str) -> (char, &str) {
    let c = s.chars().next().unwrap_or('\0');
    (c, &s[c.len_utf8().min(s.len())..])
}

fn push_char(buf: &mut Vec<u8>, c: char) {
    let mut tmp = [0u8; 4];
    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

/// The rest of a line after its first `n` ordinary words (raw text, trimmed
/// at the start), used where keepalived re-reads the raw line.
pub fn after_words(line: &str, n: usize) -> &str {
    let mut input = line;
    for _ in 0..n {
        let (i, _) = blanks(input).unwrap_or((input, ""));
        match word(i) {
            Ok((r, _)) => input = r,
            Err(_) => return "",
        }
    }
    let (i, _) = blanks(input).unwrap_or((input, ""));
    let _: IResult<&str, &str> = rest(i);
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s).0
    }

    #[test]
    fn only_double_quotes_group() {
        assert_eq!(w("router_id 'my id'"), vec!["router_id", "'my", "id'"]);
        assert_eq!(w("vrrp_instance \"VI Q\""), vec!["vrrp_instance", "VI Q"]);
        assert_eq!(w("a\tb\x0bc"), vec!["a", "b", "c"]);
    }

    #[test]
    fn quote_inside_word_ends_it() {
        assert_eq!(w("abc\"def ghi\" j"), vec!["abc", "def ghi", "j"]);
    }

    #[test]
    fn unmatched_quote_keeps_words_before() {
        assert_eq!(
            words("a b \"c d"),
            (vec!["a".into(), "b".into()], Some(LexError::UnmatchedQuote))
        );
    }

    #[test]
    fn empty_quotes_are_an_empty_word() {
        assert_eq!(w("script \"\""), vec!["script", ""]);
    }

    fn sw(s: &str) -> Vec<String> {
        shell_words(s)
            .unwrap()
            .into_iter()
            .map(|v| String::from_utf8(v).unwrap())
            .collect()
    }

    #[test]
    fn shell_words_quotes_and_escapes() {
        // KEEPALIVED.md 1.2: notify "/bin/echo 'a b' c\x41" root
        let outer = sw(r#"notify "/bin/echo 'a b' c\x41" root"#);
        assert_eq!(outer, vec!["notify", "/bin/echo 'a b' cA", "root"]);
        assert_eq!(sw(&outer[1]), vec!["/bin/echo", "a b", "cA"]);
        assert_eq!(sw(r#"abcd" efg "h"#), vec!["abcd efg h"]);
        assert_eq!(sw(r"a\tb \101 \cA \q"), vec!["a\tb", "A", "\x01", "q"]);
        assert_eq!(sw(r"'it''s'"), vec!["its"]);
    }

    #[test]
    fn shell_words_errors() {
        assert_eq!(shell_words("a 'b"), Err(LexError::MissingTerminating('\'')));
        assert_eq!(shell_words("a \"b"), Err(LexError::MissingTerminating('"')));
        assert_eq!(shell_words("a b\\"), Err(LexError::MissingEscape));
    }

    #[test]
    fn hex_escape_wraps_like_a_c_char() {
        assert_eq!(shell_words(r"\x4142").unwrap(), vec![vec![0x42]]);
    }

    #[test]
    fn after_words_skips_words() {
        assert_eq!(after_words("notify  \"/a b\" root", 1), "\"/a b\" root");
    }
}
