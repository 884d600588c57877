//! zlib (FlateDecode) compression of PDF streams.
//!
//! A large CJK font program is the longest single step of a PDF to
//! compress (bench/README.md, "Numbers behind the constants"). Large inputs
//! are therefore cut into fixed-size chunks compressed on their own threads and
//! joined into one zlib stream, the way pigz does: each chunk is raw deflate
//! primed with the 32 KiB window before it (so back-references across the cut
//! are kept and the size hardly changes), every chunk but the last ends on a
//! byte boundary (sync flush), and the zlib header and the Adler-32 of the
//! whole input wrap them. The chunk size is a constant, never the number of
//! cores, so the bytes are the same on every machine.

use flate2::{Compress, Compression, FlushCompress, Status};

use crate::diag::{Code, Diagnostic};

/// zlib level for every stream: CJK outlines compress poorly, so a higher
/// level hardly shrinks the file and a lower one makes it much larger for
/// little time saved (bench/README.md, "Numbers behind the constants").
const LEVEL: u32 = 6;

/// Inputs up to this size are compressed in one piece; above it, in chunks of
/// this size. 128 KiB keeps the per-chunk overhead (a 5-byte sync marker and a
/// 32 KiB dictionary) small and already splits the one font program per PDF
/// that is worth splitting.
const CHUNK: usize = 128 * 1024;

/// Deflate's window: how much input before a cut each chunk may refer to.
const WINDOW: usize = 32 * 1024;

thread_local! {
    /// One compressor per thread and kind (zlib-wrapped, raw), reset for
    /// every stream: a fresh one allocates and zeroes its tables (some
    /// 300 KiB), and a PDF has dozens of streams. A reset compressor gives
    /// the bytes a fresh one gives.
    static COMPRESSORS: std::cell::RefCell<[Option<Compress>; 2]> = const { std::cell::RefCell::new([None, None]) };
}

/// Run `f` with this thread's compressor, reset (`zlib`: with the zlib
/// header and trailer, else raw deflate).
fn with_compressor<R>(zlib: bool, f: impl FnOnce(&mut Compress) -> R) -> R {
    let slot = usize::from(!zlib);
    let taken = COMPRESSORS.with(|c| c.borrow_mut()[slot].take());
    let mut c = match taken {
        Some(mut c) => {
            c.reset();
            c
        }
        None => Compress::new(Compression::new(LEVEL), zlib),
    };
    let result = f(&mut c);
    COMPRESSORS.with(|cell| cell.borrow_mut()[slot] = Some(c));
    result
}

/// zlib-compress a CFF font program with Huffman coding alone (zlib's
/// `Z_HUFFMAN_ONLY`: no string matching). Type 2 charstrings are operands
/// and operators in which deflate finds few repeated strings: on the
/// FandolFang subset of the 5-page sample (258 KiB) level 6 takes 5.4 ms
/// for 202 KiB, Huffman coding alone 1.5 ms for 212.6 KiB, and level 1 —
/// as fast — gives 240 KiB (bench/README.md, "Numbers behind the
/// constants"). TrueType outlines repeat much more, and keep [`deflate`].
pub(super) fn deflate_huffman_only(data: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    let mut out = vec![0; zlib_rs::compress_bound(data.len())];
    let mut config = zlib_rs::DeflateConfig::new(LEVEL as i32);
    config.strategy = zlib_rs::Strategy::HuffmanOnly;
    let (written, rc) = zlib_rs::compress_slice(&mut out, data, config);
    if rc != zlib_rs::ReturnCode::Ok {
        return Err(failed(format!("{rc:?}")));
    }
    let len = written.len();
    out.truncate(len);
    Ok(out)
}

/// zlib-compress `data` (RFC 1950), in parallel when it is large.
pub(super) fn deflate(data: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    if data.len() <= CHUNK {
        return with_compressor(true, |c| run(c, data, FlushCompress::Finish));
    }
    let starts: Vec<usize> = (0..data.len()).step_by(CHUNK).collect();
    let chunk = |start: usize| {
        let end = (start + CHUNK).min(data.len());
        let last = end == data.len();
        with_compressor(false, |c| {
            if start > 0 {
                c.set_dictionary(&data[start.saturating_sub(WINDOW)..start]).map_err(failed)?;
            }
            let flush = if last { FlushCompress::Finish } else { FlushCompress::Sync };
            run(c, &data[start..end], flush)
        })
    };
    // The same chunks either way (the bytes do not depend on threads); on a
    // batch build's worker the cores are already busy (`spare_cores`).
    let pieces: Vec<Result<Vec<u8>, Diagnostic>> = if super::spare_cores() {
        std::thread::scope(|s| {
            let handles: Vec<_> = starts.iter().map(|&start| s.spawn(move || chunk(start))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(failed("a compression thread crashed"))))
                .collect()
        })
    } else {
        starts.iter().map(|&start| chunk(start)).collect()
    };
    // CMF 0x78: deflate, 32 KiB window; FLG 0x9C: default level, no preset
    // dictionary (the chunk dictionaries are the stream's own earlier bytes),
    // check bits making 0x789C a multiple of 31.
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    out.extend_from_slice(&[0x78, 0x9C]);
    for piece in pieces {
        out.extend_from_slice(&piece?);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    Ok(out)
}

/// Feed all of `input` to `c` and flush as asked.
fn run(c: &mut Compress, input: &[u8], flush: FlushCompress) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    loop {
        let consumed = (c.total_in() as usize).min(input.len());
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(4096));
        }
        let status = c.compress_vec(&input[consumed..], &mut out, flush).map_err(failed)?;
        let done_in = c.total_in() as usize >= input.len();
        match (status, flush) {
            (Status::StreamEnd, _) => return Ok(out),
            // A sync flush is complete once all input is in and the output
            // buffer was not filled up (zlib's `avail_out != 0` rule).
            (_, FlushCompress::Sync) if done_in && out.len() < out.capacity() => return Ok(out),
            _ => {}
        }
    }
}

fn failed(err: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(Code::OutputWriter, format!("pdf: cannot compress a stream: {err}"))
        .with_hint("this should not happen; check free memory, and report it if it persists")
}

/// Adler-32 (RFC 1950 §8.2) of the whole input, the zlib trailer.
fn adler32(data: &[u8]) -> u32 {
    let mut a = adler2::Adler32::new();
    a.write_slice(data);
    a.checksum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn inflate(z: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(z).read_to_end(&mut out).expect("a valid zlib stream");
        out
    }

    /// Compressible but not trivial, like a font program: repeated records
    /// with varying fields.
    fn sample(len: usize) -> Vec<u8> {
        let mut x: u32 = 12345;
        (0..len)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if i % 7 < 4 { (i % 251) as u8 } else { (x >> 24) as u8 }
            })
            .collect()
    }

    #[test]
    fn a_reused_compressor_gives_the_bytes_of_a_fresh_one() {
        let (a, b) = (sample(3 * CHUNK + 5), sample(1000));
        let fresh = |data: &[u8]| std::thread::scope(|s| s.spawn(|| deflate(data).unwrap()).join().unwrap());
        let (fa, fb) = (fresh(&a), fresh(&b));
        for _ in 0..2 {
            assert_eq!(deflate(&a).unwrap(), fa);
            assert_eq!(deflate(&b).unwrap(), fb);
        }
        // On a pool worker the chunks are made on this one thread, one
        // reused raw compressor after the other.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        pool.install(|| {
            for _ in 0..2 {
                assert_eq!(deflate(&a).unwrap(), fa);
                assert_eq!(deflate(&b).unwrap(), fb);
            }
        });
    }

    #[test]
    fn round_trips_at_every_chunk_boundary() {
        for len in [0, 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 7, 5 * CHUNK + WINDOW] {
            let data = sample(len);
            let z = deflate(&data).unwrap();
            assert_eq!(inflate(&z), data, "length {len}");
            assert_eq!(&z[..2], &[0x78, 0x9C], "zlib header, length {len}");
        }
    }

    #[test]
    fn chunked_output_is_deterministic_and_about_as_small() {
        let data = sample(3 * CHUNK + 100);
        let a = deflate(&data).unwrap();
        assert_eq!(a, deflate(&data).unwrap());
        let mut one = Compress::new(Compression::new(LEVEL), true);
        let whole = run(&mut one, &data, FlushCompress::Finish).unwrap();
        // Priming each chunk with the window before it keeps the cost of the
        // cuts to a few bytes per chunk.
        assert!(a.len() <= whole.len() + 64, "chunked {} vs whole {}", a.len(), whole.len());
    }

    #[test]
    fn huffman_only_round_trips_and_is_deterministic() {
        for len in [0, 1, 1000, CHUNK + 1, 3 * CHUNK] {
            let data = sample(len);
            let z = deflate_huffman_only(&data).unwrap();
            assert_eq!(inflate(&z), data, "length {len}");
            assert_eq!(z, deflate_huffman_only(&data).unwrap(), "length {len}");
            // A zlib stream (CMF 0x78: deflate, 32 KiB window).
            assert_eq!(z[0], 0x78, "length {len}");
        }
    }

    #[test]
    fn adler32_matches_the_reference_value() {
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
    }
}
