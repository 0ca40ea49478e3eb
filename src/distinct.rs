//! Are all of many 64-bit row hashes distinct? The core of the check that no two rows of a frame
//! of counts are equal in every column but the count (`groomstats.totals`, `change`).
//!
//! The hashes come from polars (one per row, the columns' own hashes combined); equal rows hash
//! equal, so distinct hashes prove distinct rows, and the caller compares the rows of equal
//! hashes value by value before it refuses anything. The answer is exact for the hashes given.
//!
//! Method: a radix partition on the top bits (each thread sorts its own block of the input into
//! the partitions, a counting sort: two sequential passes), then one small open-addressing table
//! per partition, sized to stay in the CPU cache (the slot from a multiplicative remix of the
//! whole hash), filled from every block's piece of that
//! partition. Both steps run in parallel (rayon); the second stops at the first equal pair.
//! About 4x faster than polars' `Series.n_unique` on the same hashes (benches/bench_totals.py).
//! Pure Rust: no pyo3 here.

use rayon::prelude::*;

/// Entries per partition aimed at: a table of twice as many `u64` slots (128 KiB) stays in a
/// core's L2 cache.
const PER_PARTITION: usize = 8192;
/// Input rows per block of the partition step.
const BLOCK: usize = 1 << 16;
/// Below this many hashes one sort of a copy is quicker than partitioning.
const SMALL: usize = 4096;

/// Whether no two of `hashes` are equal.
///
/// # Examples
///
/// ```
/// use groomstats::distinct::all_distinct;
/// assert!(all_distinct(&[3, 1, 2]));
/// assert!(!all_distinct(&[3, 1, 3]));
/// assert!(all_distinct(&[]));
/// ```
pub fn all_distinct(hashes: &[u64]) -> bool {
    all_distinct_parts(&[hashes])
}

/// Whether no two of the hashes in `parts` (one column in pieces, e.g. the chunks of a polars
/// Series, read where they are: no copy to join them) are equal.
///
/// # Examples
///
/// ```
/// use groomstats::distinct::all_distinct_parts;
/// assert!(all_distinct_parts(&[&[3, 1], &[2]]));
/// assert!(!all_distinct_parts(&[&[3, 1], &[], &[4, 3]]));
/// ```
pub fn all_distinct_parts(parts: &[&[u64]]) -> bool {
    let n: usize = parts.iter().map(|p| p.len()).sum();
    if n < 2 {
        return true;
    }
    if n < SMALL {
        let mut copy = parts.concat();
        copy.sort_unstable();
        return copy.windows(2).all(|w| w[0] != w[1]);
    }
    // partitions: a power of two, so the partition is the top `bits` bits of the hash
    let parts_n = (n / PER_PARTITION).next_power_of_two().clamp(1, 1 << 12);
    let bits = parts_n.trailing_zeros();
    let part_of = |h: u64| {
        if bits == 0 {
            0
        } else {
            (h >> (64 - bits)) as usize
        }
    };

    // the input in blocks, each paired with its own piece of `sorted` (one buffer of n hashes,
    // the only memory the check takes in proportion to the rows)
    let mut sorted = vec![0u64; n];
    let mut pairs: Vec<(&[u64], &mut [u64])> = Vec::with_capacity(n / BLOCK + parts.len());
    let mut rest: &mut [u64] = &mut sorted;
    for part in parts {
        for input in part.chunks(BLOCK) {
            let (out, tail) = rest.split_at_mut(input.len());
            pairs.push((input, out));
            rest = tail;
        }
    }
    // each block sorted into the partitions (a counting sort), with the start of every
    // partition in it (`bounds[b][p]..bounds[b][p + 1]`)
    let bounds: Vec<Vec<usize>> = pairs
        .par_iter_mut()
        .map(|(input, out)| {
            let mut starts = vec![0usize; parts_n + 1];
            for &h in input.iter() {
                starts[part_of(h) + 1] += 1;
            }
            for p in 0..parts_n {
                starts[p + 1] += starts[p];
            }
            let mut next = starts.clone();
            for &h in input.iter() {
                let p = part_of(h);
                out[next[p]] = h;
                next[p] += 1;
            }
            starts
        })
        .collect();
    let blocks: Vec<&[u64]> = pairs.into_iter().map(|(_, out)| &*out).collect();

    // each partition: every block's piece into one table (linear probing)
    (0..parts_n)
        .into_par_iter()
        .map_init(Vec::new, |table: &mut Vec<u64>, p| {
            let size: usize = bounds.iter().map(|b| b[p + 1] - b[p]).sum();
            let slots = (2 * size).next_power_of_two().max(2);
            let (mask, shift) = (slots - 1, 64 - slots.trailing_zeros());
            table.clear();
            table.resize(slots, 0); // 0 marks an empty slot; the hash 0 is tracked apart
            let mut zero = false;
            for (block, b) in blocks.iter().zip(&bounds) {
                for &h in &block[b[p]..b[p + 1]] {
                    if h == 0 {
                        if zero {
                            return false;
                        }
                        zero = true;
                        continue;
                    }
                    // the slot from every bit of the hash (Fibonacci hashing), so hashes alike
                    // in some bits (a weak column hash) do not crowd one probe sequence
                    let mut i = (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize;
                    loop {
                        let slot = table[i];
                        if slot == 0 {
                            table[i] = h;
                            break;
                        }
                        if slot == h {
                            return false;
                        }
                        i = (i + 1) & mask;
                    }
                }
            }
            true
        })
        .all(|distinct| distinct)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64: well-mixed test hashes from a counter (generated, synthetic).
    fn mix(mut x: u64) -> u64 {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    fn by_sorting(h: &[u64]) -> bool {
        let mut c = h.to_vec();
        c.sort_unstable();
        c.windows(2).all(|w| w[0] != w[1])
    }

    #[test]
    fn small_and_empty() {
        assert!(all_distinct(&[]));
        assert!(all_distinct(&[0]));
        assert!(all_distinct(&[0, 1]));
        assert!(!all_distinct(&[0, 0]));
        assert!(!all_distinct(&[7, 7]));
        assert!(all_distinct(&[u64::MAX, 0, 1]));
    }

    #[test]
    fn large_distinct_then_one_repeat_anywhere() {
        let n = 300_000;
        let mut h: Vec<u64> = (0..n as u64).map(mix).collect();
        assert!(all_distinct(&h));
        // a repeat in the first, a middle and the last block, and across blocks
        for (i, j) in [(0, 1), (5, BLOCK + 5), (n / 2, n - 1), (n - 2, n - 1)] {
            let keep = h[j];
            h[j] = h[i];
            assert!(!all_distinct(&h), "repeat of row {i} at row {j} not found");
            h[j] = keep;
        }
        assert!(all_distinct(&h));
    }

    #[test]
    fn zero_hash_and_clustered_hashes() {
        // hashes 0 and values sharing their top bits (one partition) or low bits (one probe
        // sequence): the table must still tell them apart
        let n = 50_000u64;
        let mut h: Vec<u64> = (0..n).collect(); // 0 included, all in partition 0
        assert!(all_distinct(&h));
        h.push(0);
        assert!(!all_distinct(&h));
        let shifted: Vec<u64> = (1..=n).map(|i| i << 40).collect(); // equal low bits
        assert!(all_distinct(&shifted));
        let mut twice = shifted.clone();
        twice.push(shifted[123]);
        assert!(!all_distinct(&twice));
    }

    #[test]
    fn pieces_answer_as_the_whole_does() {
        let h: Vec<u64> = (0..100_000u64).map(mix).collect();
        let (a, b) = h.split_at(33_333);
        let (b, c) = b.split_at(BLOCK + 7);
        assert!(all_distinct_parts(&[a, &[], b, c]));
        let mut with_repeat = c.to_vec();
        with_repeat[500] = a[17]; // a hash of the first piece again in the last
        assert!(!all_distinct_parts(&[a, b, &with_repeat]));
        assert!(!all_distinct_parts(&[&[5], &[], &[5]]));
        assert!(all_distinct_parts(&[&[], &[]]));
    }

    #[test]
    fn agrees_with_sorting_on_random_inputs() {
        for seed in 0..40u64 {
            let n = (mix(seed) % 40_000) as usize;
            // values from a small range: repeats likely for larger n
            let range = 1 + mix(seed + 1000) % 2_000_000;
            let h: Vec<u64> = (0..n as u64)
                .map(|i| mix(seed * 1_000_003 + i) % range)
                .collect();
            assert_eq!(all_distinct(&h), by_sorting(&h), "seed {seed}, n {n}");
        }
    }
}
