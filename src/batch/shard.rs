//! `--shard I/N`: split the documents of a build between N CI jobs.
//!
//! A document belongs to shard `hash(id) mod N`, with `id` its stable name
//! (`experience`, `experience@qingxi`) and the hash SHA-256. Unlike cutting the
//! sorted list into N runs, adding or removing one county moves no other
//! document to another shard, so CI caches per shard stay warm; the cost is
//! a balance that is statistical (fine at the scale where sharding matters).

use sha2::{Digest, Sha256};

/// One shard of N, 1-based as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1..=count.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl Shard {
    /// Parse `I/N` with 1 ≤ I ≤ N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("`{s}` is not I/N (e.g. 2/4)"))?;
        let index: u32 = i.trim().parse().map_err(|_| format!("`{i}` in `{s}` is not a number"))?;
        let count: u32 = n.trim().parse().map_err(|_| format!("`{n}` in `{s}` is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard `{s}`: I must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }

    /// Whether the document `id` is this shard's.
    pub fn owns(&self, id: &str) -> bool {
        bucket(id, self.count) == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The 0-based shard of `id` among `count`.
fn bucket(id: &str, count: u32) -> u32 {
    let d = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&d[..8]);
    (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_the_documents() {
        let ids: Vec<String> = (0..200).map(|i| format!("experience@county{i}")).collect();
        for n in 1..=5 {
            let mut owners = vec![0; ids.len()];
            for i in 1..=n {
                let s = Shard { index: i, count: n };
                for (k, id) in ids.iter().enumerate() {
                    owners[k] += u32::from(s.owns(id));
                }
            }
            assert!(owners.iter().all(|&o| o == 1), "{n} shards: each document in exactly one");
        }
    }

    #[test]
    fn adding_a_document_moves_no_other() {
        let s = Shard { index: 1, count: 4 };
        let before: Vec<bool> = (0..50).map(|i| s.owns(&format!("d{i}"))).collect();
        let after: Vec<bool> = (0..50).map(|i| s.owns(&format!("d{i}"))).collect();
        assert_eq!(before, after);
    }
}
