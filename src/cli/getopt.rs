//! GNU `getopt_long` as keepalived calls it (option string starting with `:`,
//! so getopt prints nothing itself), over the option table.
//!
//! Reproduced behaviour: short options bundle (`-nlD`); a required argument
//! is the rest of the word or the next word, whatever it looks like (`-f -n`
//! reads the file `-n`); an optional argument must be attached (`-tFILE`,
//! `--config-test=FILE`; `-t FILE` leaves `FILE` as an operand); long names
//! may be abbreviated to any unambiguous prefix; operands are permuted to the
//! end; `--` ends the options; `-` alone is an operand.
//!
//! Differences from keepalived: `--use-file` with nothing after it reports a
//! missing parameter (keepalived 2.2.7 crashes there).

use super::defs::{ArgForm, OPTIONS, OptDef, by_short};

/// One thing found on the command line, in order.
#[derive(Clone, Debug)]
pub enum Tok {
    /// A known option and its argument.
    Opt {
        def: &'static OptDef,
        value: Option<String>,
    },
    /// keepalived: "Unknown option %s" with this text (`-Z`, `--foo=bar`).
    Unknown(String),
    /// keepalived: "Missing parameter for option %s" (`-f`, `--use-file`).
    Missing(String),
}

/// The options, in order, and the operands.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    pub toks: Vec<Tok>,
    pub operands: Vec<String>,
}

/// Find a long option by exact name or unambiguous prefix.
fn find_long(name: &str) -> Option<&'static OptDef> {
    if name.is_empty() {
        return None;
    }
    if let Some(d) = OPTIONS.iter().find(|d| d.long == name) {
        return Some(d);
    }
    let mut found = OPTIONS.iter().filter(|d| d.long.starts_with(name));
    match (found.next(), found.next()) {
        (Some(d), None) => Some(d),
        _ => None, // unknown or ambiguous: both are '?' for keepalived
    }
}

/// Split `args` (without the program name).
pub fn lex(args: &[String]) -> Lexed {
    let mut out = Lexed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            out.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, attached) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(def) = find_long(name) else {
                out.toks.push(Tok::Unknown(a.clone()));
                continue;
            };
            let missing = || Tok::Missing(format!("--{}", def.long));
            match def.arg {
                ArgForm::None if attached.is_some() => out.toks.push(Tok::Unknown(a.clone())),
                ArgForm::None => out.toks.push(Tok::Opt { def, value: None }),
                ArgForm::Optional => out.toks.push(Tok::Opt {
                    def,
                    value: attached,
                }),
                ArgForm::Required => match attached {
                    // keepalived turns `--use-file=` into a missing parameter
                    Some(v) if v.is_empty() => out.toks.push(missing()),
                    Some(v) => out.toks.push(Tok::Opt {
                        def,
                        value: Some(v),
                    }),
                    None if i < args.len() => {
                        out.toks.push(Tok::Opt {
                            def,
                            value: Some(args[i].clone()),
                        });
                        i += 1;
                    }
                    None => out.toks.push(missing()),
                },
            }
            continue;
        }
        let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) else {
            out.operands.push(a.clone());
            continue;
        };
        for (pos, c) in cluster.char_indices() {
            let rest = &cluster[pos + c.len_utf8()..];
            let Some(def) = by_short(c) else {
                out.toks.push(Tok::Unknown(format!("-{c}")));
                continue;
            };
            match def.arg {
                ArgForm::None => out.toks.push(Tok::Opt { def, value: None }),
                ArgForm::Optional => {
                    let value = (!rest.is_empty()).then(|| rest.to_string());
                    out.toks.push(Tok::Opt { def, value });
                    break;
                }
                ArgForm::Required => {
                    if !rest.is_empty() {
                        out.toks.push(Tok::Opt {
                            def,
                            value: Some(rest.to_string()),
                        });
                    } else if i < args.len() {
                        out.toks.push(Tok::Opt {
                            def,
                            value: Some(args[i].clone()),
                        });
                        i += 1;
                    } else {
                        out.toks.push(Tok::Missing(format!("-{c}")));
                    }
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lx(args: &[&str]) -> Vec<String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let l = lex(&args);
        let mut v: Vec<String> = l
            .toks
            .iter()
            .map(|t| match t {
                Tok::Opt {
                    def,
                    value: Some(v),
                } => format!("{}={v}", def.long),
                Tok::Opt { def, value: None } => def.long.to_string(),
                Tok::Unknown(s) => format!("?{s}"),
                Tok::Missing(s) => format!(":{s}"),
            })
            .collect();
        v.extend(l.operands.iter().map(|o| format!("+{o}")));
        v
    }

    #[test]
    fn bundles_and_attached_values() {
        assert_eq!(
            lx(&["-nlDD"]),
            ["dont-fork", "log-console", "log-detail", "log-detail"]
        );
        assert_eq!(lx(&["-nfx.conf"]), ["dont-fork", "use-file=x.conf"]);
        assert_eq!(lx(&["-f", "-n"]), ["use-file=-n"]);
        assert_eq!(lx(&["-S0"]), ["log-facility=0"]);
    }

    #[test]
    fn optional_values_must_be_attached() {
        assert_eq!(lx(&["-t"]), ["config-test"]);
        assert_eq!(lx(&["-t/tmp/log"]), ["config-test=/tmp/log"]);
        assert_eq!(lx(&["-tn"]), ["config-test=n"]);
        assert_eq!(lx(&["-t", "file"]), ["config-test", "+file"]);
        assert_eq!(lx(&["--config-test=f"]), ["config-test=f"]);
        assert_eq!(lx(&["--config-test", "f"]), ["config-test", "+f"]);
        assert_eq!(lx(&["-M"]), ["core-dump-pattern"]);
    }

    #[test]
    fn long_names_abbreviate_unless_ambiguous() {
        assert_eq!(lx(&["--vers"]), ["version"]);
        assert_eq!(lx(&["--sig=DATA"]), ["signum=DATA"]);
        assert_eq!(lx(&["--vrrp"]), ["vrrp"]); // exact beats vrrp_pid
        assert_eq!(lx(&["--d"]), ["?--d"]);
        assert_eq!(lx(&["--use", "a"]), ["use-file=a"]);
    }

    #[test]
    fn errors_like_keepalived() {
        assert_eq!(lx(&["-Z"]), ["?-Z"]);
        assert_eq!(lx(&["-nZ"]), ["dont-fork", "?-Z"]);
        assert_eq!(lx(&["--foo=bar"]), ["?--foo=bar"]);
        assert_eq!(lx(&["--help=x"]), ["?--help=x"]);
        assert_eq!(lx(&["-f"]), [":-f"]);
        assert_eq!(lx(&["--use-file"]), [":--use-file"]);
        assert_eq!(lx(&["--use-file="]), [":--use-file"]);
        assert_eq!(lx(&["--sig"]), [":--signum"]);
    }

    #[test]
    fn operands_are_permuted_and_double_dash_ends() {
        assert_eq!(lx(&["a", "-n", "-", "b"]), ["dont-fork", "+a", "+-", "+b"]);
        assert_eq!(lx(&["-n", "--", "-l", "x"]), ["dont-fork", "+-l", "+x"]);
    }
}
