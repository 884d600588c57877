//! A fixed content hash (subset tags, file `/ID`).

/// A fixed 128-bit content hash for the subset tag and the file `/ID`. Not
/// cryptographic; it only has to tell contents apart. std's `DefaultHasher`
/// is avoided because it may change between Rust releases, which would change
/// the bytes of every PDF; byte-wise FNV is avoided because one multiply per
/// byte is slow on a font subset of hundreds of KiB. This consumes eight
/// bytes per step in two independent lanes and finishes with a strong bit
/// mixer.
pub(super) struct Hash128 {
    lanes: [u64; 2],
    len: u64,
}

impl Hash128 {
    const PRIMES: [u64; 2] = [0x9E37_79B1_85EB_CA87, 0xC2B2_AE3D_27D4_EB4F];

    pub(super) fn new() -> Self {
        Hash128 { lanes: [0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344], len: 0 }
    }

    pub(super) fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
        self.len = self.len.wrapping_add(bytes.len() as u64);
    }

    fn mix(&mut self, word: u64) {
        self.lanes[0] = (self.lanes[0] ^ word).wrapping_mul(Self::PRIMES[0]).rotate_left(31);
        self.lanes[1] = (self.lanes[1] ^ word).wrapping_mul(Self::PRIMES[1]).rotate_left(27);
    }

    pub(super) fn value(&self) -> [u64; 2] {
        // SplitMix64's finaliser: every input bit reaches every output bit.
        let fin = |mut z: u64| {
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let [a, b] = self.lanes;
        [fin(a ^ self.len ^ b.rotate_left(17)), fin(b ^ self.len.rotate_left(32) ^ a)]
    }
}
