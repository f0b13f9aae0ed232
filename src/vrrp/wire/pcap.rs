//! A tiny reader of classic pcap files (not pcapng), for tests only: the
//! captures of keepalived 2.2.7 in `../shared/compat/captures` are the
//! byte-exact fixtures of the wire layer.

use std::path::PathBuf;

/// Link type of Ethernet frames.
pub const LINKTYPE_ETHERNET: u32 = 1;

/// One captured frame.
#[derive(Debug, Clone)]
pub struct Record {
    pub ts_sec: u32,
    /// Microseconds, or nanoseconds in a nanosecond-resolution file.
    pub ts_frac: u32,
    pub data: Vec<u8>,
}

/// A whole capture.
#[derive(Debug, Clone)]
pub struct Capture {
    pub linktype: u32,
    pub records: Vec<Record>,
}

/// Reads a classic pcap file of either byte order and either time
/// resolution. A truncated final record is an error.
pub fn parse(bytes: &[u8]) -> Result<Capture, String> {
    let magic = bytes.get(..4).ok_or("no pcap header")?;
    let big_endian = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => false,
        [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => true,
        _ => return Err(format!("not a classic pcap file (magic {magic:02x?})")),
    };
    let u32_at = |off: usize| -> Result<u32, String> {
        let b: [u8; 4] = bytes
            .get(off..off + 4)
            .ok_or("truncated pcap")?
            .try_into()
            .map_err(|_| "?")?;
        Ok(if big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let linktype = u32_at(20)?;
    let mut records = Vec::new();
    let mut off = 24;
    while off < bytes.len() {
        let (ts_sec, ts_frac, incl_len) =
            (u32_at(off)?, u32_at(off + 4)?, u32_at(off + 8)? as usize);
        let start = off + 16;
        let data = bytes
            .get(start..start + incl_len)
            .ok_or("truncated pcap record")?;
        records.push(Record {
            ts_sec,
            ts_frac,
            data: data.to_vec(),
        });
        off = start + incl_len;
    }
    Ok(Capture { linktype, records })
}

/// `../shared/compat/captures` beside the crate.
pub fn captures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/compat/captures")
}

/// Loads `name` from [`captures_dir`]; `None` with a printed note when the
/// shared folder is not there (a checkout without `shared/`).
pub fn load(name: &str) -> Option<Capture> {
    let path = captures_dir().join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))),
        Err(e) => {
            println!("note: skipping {} ({e})", path.display());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(big_endian: bool, records: &[&[u8]]) -> Vec<u8> {
        let w = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut out = Vec::new();
        out.extend_from_slice(&w(0xa1b2c3d4));
        out.extend_from_slice(&[0; 12]); // version, zone, sigfigs (ignored)
        out.extend_from_slice(&w(65535));
        out.extend_from_slice(&w(LINKTYPE_ETHERNET));
        for (i, r) in records.iter().enumerate() {
            out.extend_from_slice(&w(i as u32));
            out.extend_from_slice(&w(7));
            out.extend_from_slice(&w(r.len() as u32));
            out.extend_from_slice(&w(r.len() as u32));
            out.extend_from_slice(r);
        }
        out
    }

    #[test]
    fn reads_both_byte_orders() {
        for be in [false, true] {
            let cap = parse(&file(be, &[b"abc", b"", b"defg"])).unwrap();
            assert_eq!(cap.linktype, LINKTYPE_ETHERNET);
            let data: Vec<&[u8]> = cap.records.iter().map(|r| &r.data[..]).collect();
            assert_eq!(data, [&b"abc"[..], b"", b"defg"]);
            assert_eq!((cap.records[2].ts_sec, cap.records[2].ts_frac), (2, 7));
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse(b"").is_err());
        assert!(parse(b"0123456789").is_err());
        let mut f = file(false, &[b"abcdef"]);
        f.pop();
        assert!(parse(&f).is_err());
    }
}
