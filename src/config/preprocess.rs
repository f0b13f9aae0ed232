//! keepalived's line pre-processor pieces: `$NAME=value` definitions (with
//! multi-line values), `$NAME` / `${NAME}` substitution with late binding and
//! the built-ins, and the `~SEQ(...)` / `~LST(...)` generators.
//!
//! Must not: read files or know about keywords.

use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_while},
    character::complete::{char as ch, satisfy, space0},
    combinator::{recognize, rest},
    sequence::{pair, preceded},
};

/// Separator between the lines of a multi-line definition (keepalived DEF_LINE_END).
pub const DEF_LINE_END: char = '\n';

/// Built-in definitions, computed when used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// `${_PWD}`: directory of the file being read.
    Pwd,
    /// `${_INSTANCE}`: the config id.
    Instance,
    /// `${_RANDOM [MIN [MAX]]}`
    Random,
}

#[derive(Clone, Debug)]
pub struct Def {
    pub name: String,
    pub value: String,
    pub multiline: bool,
    pub builtin: Option<Builtin>,
    pub max_params: u8,
}

/// The table of definitions, in definition order (keepalived searches a list).
#[derive(Clone, Debug, Default)]
pub struct Defs {
    pub defs: Vec<Def>,
}

/// What a substitution needs from the reader for built-ins.
pub struct Env<'a> {
    pub pwd: &'a str,
    pub config_id: &'a str,
    pub random: &'a mut dyn FnMut(u64, u64) -> u64,
}

/// Outcome of [`Defs::substitute`].
#[derive(Debug, PartialEq, Eq)]
pub enum Subst {
    /// No definition was referenced.
    Unchanged,
    /// Replaced; `rest` holds the following lines of a multi-line value.
    Changed { rest: Option<String> },
    /// keepalived: "Parameter substitution on line '%s' would exceed maximum line length"
    TooLong,
    /// Ours: the replacement never settles (e.g. `$A=$A`), keepalived loops forever.
    Runaway,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Upper bound on substitutions in one line.
const MAX_SUBSTITUTIONS: usize = 10_000;

impl Defs {
    pub fn with_builtins() -> Self {
        let mk = |name: &str, value: &str, builtin, max_params| Def {
            name: name.into(),
            value: value.into(),
            multiline: false,
            builtin,
            max_params,
        };
        Defs {
            defs: vec![
                mk("_PWD", "", Some(Builtin::Pwd), 0),
                mk("_INSTANCE", "", Some(Builtin::Instance), 0),
                mk("_RANDOM", "", Some(Builtin::Random), 2),
                mk("_HASH", "#", None, 0),
                mk("_BANG", "!", None, 0),
            ],
        }
    }

    fn find_mut(&mut self, name: &str, allow_multiline: bool) -> Option<&mut Def> {
        self.defs
            .iter_mut()
            .find(|d| d.name == name && (allow_multiline || !d.multiline))
    }

    /// Define or redefine (a redefinition also replaces a built-in).
    pub fn set(&mut self, name: &str, value: &str) {
        match self.find_mut(name, false) {
            Some(d) => {
                d.value = value.into();
                d.builtin = None;
            }
            None => self.defs.push(Def {
                name: name.into(),
                value: value.into(),
                multiline: false,
                builtin: None,
                max_params: 0,
            }),
        }
    }

    /// keepalived `check_definition`: a line `$NAME=value` (blanks allowed
    /// before `=`). Returns the index of the definition, or `None` when the
    /// line is not a definition.
    pub fn check_definition(&mut self, line: &str) -> Option<usize> {
        let (name, value) = parse_definition(line)?;
        let (value, multiline) = match value.strip_suffix('\\') {
            Some(v) => {
                let v = v.trim_end_matches([' ', '\t']);
                if v.is_empty() {
                    (String::new(), true)
                } else {
                    (format!("{v}{DEF_LINE_END}"), true)
                }
            }
            None => (value.to_string(), false),
        };
        let idx = match self.defs.iter().position(|d| d.name == name) {
            Some(i) => i,
            None => {
                self.defs.push(Def {
                    name: name.into(),
                    value: String::new(),
                    multiline: false,
                    builtin: None,
                    max_params: 0,
                });
                self.defs.len() - 1
            }
        };
        let d = &mut self.defs[idx];
        d.value = value;
        d.multiline = multiline;
        d.builtin = None;
        Some(idx)
    }

    /// Replace `$NAME` (followed by a blank, `,`, `)` or the end) and `${NAME}`
    /// references, re-scanning the replacement (late binding), as keepalived's
    /// `replace_param`. `max_len` is keepalived's line buffer size.
    pub fn substitute(&mut self, buf: &mut String, max_len: usize, env: &mut Env) -> Subst {
        let mut pos = 0;
        let mut changed = false;
        let mut rest: Option<String> = None;
        let mut count = 0;
        while let Some(off) = buf[pos..].find('$') {
            let at = pos + off;
            if at + 1 >= buf.len() {
                break;
            }
            let Some(r) = self.reference(&buf[at + 1..]) else {
                pos = at + 1;
                continue;
            };
            count += 1;
            if count > MAX_SUBSTITUTIONS {
                return Subst::Runaway;
            }
            changed = true;
            let d = &self.defs[r.def];
            let value: String = match d.builtin {
                Some(Builtin::Pwd) => env.pwd.to_string(),
                Some(Builtin::Instance) => env.config_id.to_string(),
                Some(Builtin::Random) => {
                    let (min, max) = random_params(r.params.as_deref());
                    let v = if max >= min {
                        (env.random)(min, max)
                    } else {
                        min
                    };
                    v.to_string()
                }
                None => d.value.clone(),
            };
            let replacement = if d.multiline {
                let first_end = value.find(DEF_LINE_END).unwrap_or(value.len());
                rest = value.get(first_end + 1..).map(str::to_string);
                value[..first_end].to_string()
            } else {
                value
            };
            let new_len = buf.len() - r.len - 1 + replacement.len();
            if new_len >= max_len {
                return Subst::TooLong;
            }
            let tilde = replacement.trim_start_matches([' ', '\t']).starts_with('~');
            buf.replace_range(at..at + 1 + r.len, &replacement);
            pos = at; // re-scan the replacement: definitions bind late
            if tilde {
                break;
            }
        }
        if changed {
            Subst::Changed { rest }
        } else {
            Subst::Unchanged
        }
    }

    /// Match a reference after `$`: returns the definition and the length of
    /// the reference text (excluding the `$`).
    fn reference(&self, s: &str) -> Option<Ref> {
        let b = s.as_bytes();
        let braces = b.first() == Some(&b'{');
        let name_start = usize::from(braces);
        if !b.get(name_start).copied().is_some_and(is_name_start) {
            return None;
        }
        let mut end = name_start + 1;
        while end < b.len() && is_name_char(b[end]) {
            end += 1;
        }
        let name = &s[name_start..end];
        let mut params = None;
        let len;
        let at_end;
        if braces {
            let mut p = end;
            let mut first = None;
            let mut last = None;
            while p < b.len() && (b[p] == b' ' || b[p].is_ascii_digit()) {
                if b[p] != b' ' {
                    first.get_or_insert(p);
                    last = Some(p);
                }
                p += 1;
            }
            if let (Some(_), Some(l)) = (first, last) {
                if l + 1 != p {
                    return None;
                }
            }
            if b.get(p) != Some(&b'}') {
                return None;
            }
            if let (Some(f), Some(l)) = (first, last) {
                params = Some(s[f..=l].to_string());
            }
            len = p + 1;
            at_end = len == b.len();
        } else {
            match b.get(end) {
                None | Some(b' ' | b'\t' | b',' | b')') => {}
                _ => return None,
            }
            len = end;
            at_end = end == b.len();
        }
        let def = self
            .defs
            .iter()
            .position(|d| d.name == name && (at_end || !d.multiline))?;
        if params.is_some() && self.defs[def].max_params == 0 {
            return None;
        }
        Some(Ref { def, len, params })
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

struct Ref {
    def: usize,
    len: usize,
    params: Option<String>,
}

fn random_params(p: Option<&str>) -> (u64, u64) {
    let mut it = p
        .unwrap_or("")
        .split_whitespace()
        .map(|n| n.parse::<u64>().unwrap_or(0));
    let min = it.next().unwrap_or(0);
    let max = it.next().unwrap_or(32767);
    (min, max)
}

/// `$NAME=value` (no blank allowed before `=`, as keepalived's loop stops at
/// the first non-name character); the value has leading blanks removed.
fn parse_definition(line: &str) -> Option<(&str, &str)> {
    let name = recognize(pair(
        satisfy(|c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
    ));
    let r: IResult<&str, (&str, &str)> =
        (preceded(tag("$"), name), preceded((ch('='), space0), rest)).parse(line);
    r.ok().map(|(_, v)| v)
}

/// One pending `~SEQ` or `~LST` generator.
#[derive(Clone, Debug)]
pub struct Seq {
    pub kind: SeqKind,
    /// The text emitted once per value.
    pub text: String,
}

#[derive(Clone, Debug)]
pub enum SeqKind {
    Seq {
        var: String,
        next: i64,
        step: i64,
        last: i64,
        hex: bool,
    },
    Lst {
        vars: Vec<String>,
        sets: Vec<Vec<String>>,
        next: usize,
    },
}

/// Errors of `~SEQ`/`~LST`, with keepalived's texts (the argument is the line).
#[derive(Debug, PartialEq, Eq)]
pub enum SeqError {
    /// "Invalid ~SEQ definition '%s'"
    Definition,
    /// "Invalid ~SEQ values '%s'"
    Values,
    /// "~SEQx is only valid for positive numbers '%s'"
    HexNegative,
    /// "~SEQ parameter strings too long '%s'"
    TooLong,
    /// "~SEQ parameter is multiline definition '%s'"
    Multiline,
    /// "~LST specification has too many values '%s'"
    LstTooMany,
    /// No message of its own (keepalived then says "Invalid ~X specification").
    Silent,
}

impl SeqError {
    pub fn message(&self, line: &str) -> Option<String> {
        Some(match self {
            SeqError::Definition => format!("Invalid ~SEQ definition '{line}'"),
            SeqError::Values => format!("Invalid ~SEQ values '{line}'"),
            SeqError::HexNegative => format!("~SEQx is only valid for positive numbers '{line}'"),
            SeqError::TooLong => format!("~SEQ parameter strings too long '{line}'"),
            SeqError::Multiline => format!("~SEQ parameter is multiline definition '{line}'"),
            SeqError::LstTooMany => format!("~LST specification has too many values '{line}'"),
            SeqError::Silent => return None,
        })
    }
}

/// strtol(p, &end, 0): optional blanks and sign, 0x / 0 prefixes; no digits = 0.
fn strtol0(s: &str) -> (i64, &str) {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, t2) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if (t2.starts_with("0x") || t2.starts_with("0X"))
        && t2[2..].starts_with(|c: char| c.is_ascii_hexdigit())
    {
        (16, &t2[2..])
    } else if t2.starts_with('0') {
        (8, t2)
    } else {
        (10, t2)
    };
    let n = digits
        .bytes()
        .take_while(|c| (*c as char).is_digit(radix))
        .count();
    if n == 0 {
        return (0, s);
    }
    let v = i64::from_str_radix(&digits[..n], radix).unwrap_or(i64::MAX);
    (if neg { v.wrapping_neg() } else { v }, &digits[n..])
}

/// Parse `~SEQ[x](VAR, [start,] [step,] end) text`. `subst` expands `$DEF`s in
/// the parameters (returns false if a multi-line definition was used).
pub fn parse_seq(line: &str, subst: &mut dyn FnMut(&mut String) -> bool) -> Result<Seq, SeqError> {
    let mut p = &line[4..];
    let hex = p.starts_with('x');
    if hex {
        p = &p[1..];
    }
    p = p.trim_start_matches([' ', '\t']);
    p = p.strip_prefix('(').ok_or(SeqError::Silent)?;
    p = p.trim_start_matches([' ', '\t']);
    let var_len = p.find([' ', '\t', ',', ')']).unwrap_or(p.len());
    let var = &p[..var_len];
    p = p[var_len..].trim_start_matches([' ', '\t']);
    if p.is_empty() || p.starts_with(')') || var.is_empty() {
        return Err(SeqError::Definition);
    }
    p = p[1..].trim_start_matches([' ', '\t']);
    let close = p.find(')').ok_or(SeqError::Definition)?;
    if close + 2 > 3 * 20 + 3 + 1 {
        return Err(SeqError::TooLong);
    }
    let mut params = p[..=close].to_string();
    let text = p[close + 1..].trim_start_matches([' ', '\t']).to_string();
    if !subst(&mut params) {
        return Err(SeqError::Multiline);
    }
    let (one, r) = strtol0(&params);
    let r = r.trim_start_matches([' ', '\t']);
    let (start, step, end);
    if r.starts_with(')') {
        end = one;
        step = if end < 1 { -1 } else { 1 };
        start = if end < 0 { -1 } else { 1 };
    } else {
        let r = r.strip_prefix(',').ok_or(SeqError::Definition)?;
        let (two, r) = strtol0(r);
        let r = r.trim_start_matches([' ', '\t']);
        if r.starts_with(')') {
            start = one;
            end = two;
            step = if start <= end { 1 } else { -1 };
        } else {
            let r = r.strip_prefix(',').ok_or(SeqError::Definition)?;
            let (three, r) = strtol0(r);
            if !r.trim_start_matches([' ', '\t']).starts_with(')') {
                return Err(SeqError::Definition);
            }
            start = one;
            step = two;
            end = three;
            if step == 0 || (start < end && step < 0) || (start > end && step > 0) {
                return Err(SeqError::Values);
            }
        }
    }
    if hex && (start < 0 || end < 0) {
        return Err(SeqError::HexNegative);
    }
    Ok(Seq {
        kind: SeqKind::Seq {
            var: var.into(),
            next: start,
            step,
            last: end,
            hex,
        },
        text,
    })
}

/// Parse `~LST(VAR, v1, v2, ...)` or `~LST({A,B}, {1,2}, {3,4}) text`.
pub fn parse_lst(line: &str) -> Result<Seq, SeqError> {
    let mut p = line[4..].trim_start_matches([' ', '\t']);
    p = p.strip_prefix('(').ok_or(SeqError::Silent)?;
    p = p.trim_start_matches([' ', '\t']);
    let mut end_char = ',';
    if let Some(r) = p.strip_prefix('{') {
        end_char = '}';
        p = r.trim_start_matches([' ', '\t']);
    }
    let skip_ws = |s: &str| s.trim_start_matches([' ', '\t']).to_string();
    let mut vars = Vec::new();
    loop {
        let n = p.find([' ', '\t', ',', '}']).unwrap_or(p.len());
        vars.push(p[..n].to_string());
        p = p[n..].trim_start_matches([' ', '\t']);
        if p.starts_with(end_char) {
            break;
        }
        if !p.starts_with(',') {
            return Err(SeqError::Silent);
        }
        p = p[1..].trim_start_matches([' ', '\t']);
    }
    let num_vars = vars.len() - 1;
    if p.starts_with('}') {
        p = p[1..].trim_start_matches([' ', '\t']);
    }
    p = p.strip_prefix(',').ok_or(SeqError::Silent)?;
    let mut owned = skip_ws(p);
    let mut sets = Vec::new();
    loop {
        let mut q = owned.as_str();
        let mut end_char = ',';
        if let Some(r) = q.strip_prefix('{') {
            end_char = '}';
            q = r.trim_start_matches([' ', '\t']);
        }
        let mut values = Vec::new();
        loop {
            let n = q.find([' ', '\t', ',', '}', ')']).unwrap_or(q.len());
            values.push(q[..n].to_string());
            q = q[n..].trim_start_matches([' ', '\t']);
            if q.starts_with(end_char) || (q.starts_with(')') && end_char == ',') {
                break;
            }
            if !q.starts_with(',') {
                return Err(SeqError::Silent);
            }
            q = q[1..].trim_start_matches([' ', '\t']);
            if values.len() > num_vars {
                return Err(SeqError::LstTooMany);
            }
        }
        while values.len() <= num_vars {
            values.push(String::new());
        }
        sets.push(values);
        if q.starts_with('}') && end_char == '}' {
            q = q[1..].trim_start_matches([' ', '\t']);
        }
        if let Some(r) = q.strip_prefix(')') {
            owned = r.trim_start_matches([' ', '\t']).to_string();
            break;
        }
        if !q.starts_with(',') {
            return Err(SeqError::Silent);
        }
        owned = skip_ws(&q[1..]);
    }
    if vars.is_empty() || sets.is_empty() {
        return Err(SeqError::Silent);
    }
    Ok(Seq {
        kind: SeqKind::Lst {
            vars,
            sets,
            next: 0,
        },
        text: owned,
    })
}

impl Seq {
    /// Emit the next line, defining the variables; `None` when exhausted.
    pub fn next_line(&mut self, defs: &mut Defs) -> Option<String> {
        match &mut self.kind {
            SeqKind::Seq {
                var,
                next,
                step,
                last,
                hex,
            } => {
                if (*step > 0 && *next > *last) || (*step < 0 && *next < *last) {
                    return None;
                }
                let v = if *hex {
                    format!("{:x}", *next as u64)
                } else {
                    next.to_string()
                };
                defs.set(var, &v);
                *next = next.saturating_add(*step);
                if *next == i64::MAX || *next == i64::MIN {
                    *step = if *step > 0 { 1 } else { -1 };
                    *last = if *step > 0 { i64::MIN } else { i64::MAX }; // stop next time
                }
                Some(self.text.clone())
            }
            SeqKind::Lst { vars, sets, next } => {
                let set = sets.get(*next)?;
                for (name, val) in vars.iter().zip(set) {
                    defs.set(name, val);
                }
                *next += 1;
                Some(self.text.clone())
            }
        }
    }

    /// Lines still to come (for bounding expansions).
    pub fn remaining(&self) -> u64 {
        match &self.kind {
            SeqKind::Seq {
                next, step, last, ..
            } => {
                if (*step > 0 && next > last) || (*step < 0 && next < last) {
                    0
                } else {
                    ((*last as i128 - *next as i128) / *step as i128 + 1).clamp(0, u64::MAX as i128)
                        as u64
                }
            }
            SeqKind::Lst { sets, next, .. } => (sets.len() - *next) as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_subst(defs: &mut Defs, line: &str) -> (String, Subst) {
        let mut buf = line.to_string();
        let mut rnd = |min: u64, _max: u64| min;
        let mut env = Env {
            pwd: "/etc/keepalived",
            config_id: "node1",
            random: &mut rnd,
        };
        let r = defs.substitute(&mut buf, 1024, &mut env);
        (buf, r)
    }

    #[test]
    fn definitions_and_late_binding() {
        let mut d = Defs::with_builtins();
        assert!(d.check_definition("$A=prio $B").is_some());
        assert!(d.check_definition("$B =100").is_none());
        assert!(d.check_definition("$B=100").is_some());
        assert_eq!(
            env_subst(&mut d, "priority_of $A").0,
            "priority_of prio 100"
        );
        // the inner `$B` is followed by `y`: not a reference
        assert_eq!(env_subst(&mut d, "x ${A}y").0, "x prio $By");
        assert_eq!(env_subst(&mut d, "x ${A} y").0, "x prio 100 y");
        // $A followed by a letter is not a reference
        assert_eq!(env_subst(&mut d, "x $Ay").1, Subst::Unchanged);
        assert_eq!(env_subst(&mut d, "$UNDEF stays").0, "$UNDEF stays");
    }

    #[test]
    fn builtins() {
        let mut d = Defs::with_builtins();
        assert_eq!(
            env_subst(&mut d, "${_PWD}/x ${_INSTANCE} ${_HASH}${_BANG}").0,
            "/etc/keepalived/x node1 #!"
        );
        assert_eq!(env_subst(&mut d, "${_RANDOM 5 9}").0, "5");
        d.check_definition("$_HASH=hash");
        assert_eq!(env_subst(&mut d, "${_HASH}").0, "hash");
    }

    #[test]
    fn runaway_and_too_long_are_bounded() {
        let mut d = Defs::with_builtins();
        d.check_definition("$A=$A");
        assert_eq!(env_subst(&mut d, "x $A").1, Subst::Runaway);
        d.check_definition("$B=$B $B");
        assert_eq!(env_subst(&mut d, "x $B").1, Subst::TooLong);
    }

    #[test]
    fn multiline_definition() {
        let mut d = Defs::with_builtins();
        let i = d.check_definition("$M=line1 \\").unwrap();
        assert!(d.defs[i].multiline);
        d.defs[i].value.push_str("line2");
        let (buf, r) = env_subst(&mut d, "$M");
        assert_eq!(buf, "line1");
        assert_eq!(
            r,
            Subst::Changed {
                rest: Some("line2".into())
            }
        );
        // a multi-line definition is only expanded at the end of a line
        assert_eq!(env_subst(&mut d, "$M x").1, Subst::Unchanged);
    }

    #[test]
    fn seq_forms() {
        let mut no = |_: &mut String| true;
        let s = parse_seq("~SEQ(N,20,22) vrrp $N", &mut no).unwrap();
        assert_eq!(s.remaining(), 3);
        assert_eq!(s.text, "vrrp $N");
        let s = parse_seq("~SEQ(N, 3)", &mut no).unwrap();
        assert!(matches!(
            s.kind,
            SeqKind::Seq {
                next: 1,
                step: 1,
                last: 3,
                ..
            }
        ));
        let s = parse_seq("~SEQ(N, -3)", &mut no).unwrap();
        assert!(matches!(
            s.kind,
            SeqKind::Seq {
                next: -1,
                step: -1,
                last: -3,
                ..
            }
        ));
        let s = parse_seq("~SEQ(N, 10, -2, 0) x", &mut no).unwrap();
        assert_eq!(s.remaining(), 6);
        assert_eq!(
            parse_seq("~SEQ(N, 0, -1, 5) x", &mut no).unwrap_err(),
            SeqError::Values
        );
        assert_eq!(parse_seqx_neg(), SeqError::HexNegative);
        assert_eq!(
            parse_seq("~SEQ(N) x", &mut no).unwrap_err(),
            SeqError::Definition
        );
        let mut d = Defs::with_builtins();
        let mut s = parse_seq("~SEQx(H, 9, 11) v$H", &mut no).unwrap();
        let mut out = vec![];
        while let Some(l) = s.next_line(&mut d) {
            out.push(format!("{l}={}", d.defs.last().unwrap().value));
        }
        assert_eq!(out, vec!["v$H=9", "v$H=a", "v$H=b"]);
    }

    fn parse_seqx_neg() -> SeqError {
        parse_seq("~SEQx(N, -1, 5) x", &mut |_| true).unwrap_err()
    }

    #[test]
    fn lst_forms() {
        let mut d = Defs::with_builtins();
        let mut s = parse_lst("~LST(V, a, b) t $V").unwrap();
        assert_eq!(s.text, "t $V");
        let mut vals = vec![];
        while s.next_line(&mut d).is_some() {
            vals.push(d.defs.iter().find(|x| x.name == "V").unwrap().value.clone());
        }
        assert_eq!(vals, vec!["a", "b"]);
        let s = parse_lst("~LST({A,B}, {1,2}, {3}) x").unwrap();
        match s.kind {
            SeqKind::Lst { vars, sets, .. } => {
                assert_eq!(vars, vec!["A", "B"]);
                assert_eq!(sets, vec![vec!["1", "2"], vec!["3", ""]]);
            }
            _ => panic!(),
        }
        assert_eq!(
            parse_lst("~LST(V, {1,2}) x").unwrap_err(),
            SeqError::LstTooMany
        );
    }
}
